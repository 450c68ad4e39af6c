#!/usr/bin/env bash
# Builds the .deb from an existing build tree, unpacks it and runs the packaged programs.
# Usage: check-deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"; src="$2"
command -v dpkg-deb >/dev/null || { echo "dpkg-deb missing"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/causa_*.deb)
echo "package: $(basename "$deb")"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/causa ./usr/bin/causa-cli ./usr/share/applications/io.causa.Causa.desktop \
         ./usr/share/man/man1/causa-cli.1 ./usr/share/metainfo/io.causa.Causa.metainfo.xml; do
    grep -q " ${f}\$" <<<"$contents" || { echo "missing in package: $f"; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libqt6core6 libqt6widgets6 libqt6sql6-sqlite; do
    grep -q "$p" <<<"$depends" || { echo "Depends lacks $p"; exit 1; }
done
dpkg-deb -x "$deb" "$work/root"
cli="$work/root/usr/bin/causa-cli"
"$cli" --version | grep -q "^causa-cli " || { echo "packaged causa-cli --version failed"; exit 1; }
"$cli" --db "$work/t.sqlite" import "$work/root/usr/share/causa/samples/fin-ws-042-incident.json"
alerts=$("$cli" --db "$work/t.sqlite" stats --json | grep '"alerts"' | tr -dc 0-9)
[[ "$alerts" == "2" ]] || { echo "expected 2 alerts after import, got $alerts"; exit 1; }
echo "packaged causa-cli imported the sample case: $alerts alerts"
# Headless: the packaged causa-cli links no Widgets, Charts, OpenGL or PrintSupport, and still
# writes a PDF with no display and no platform chosen by the caller.
needed=$(readelf -d "$cli" | grep NEEDED)
for lib in libQt6Widgets libQt6Charts libQt6OpenGL libQt6PrintSupport; do
    if grep -q "$lib" <<<"$needed"; then echo "packaged causa-cli links $lib"; exit 1; fi
done
echo "packaged causa-cli links: $(grep -o 'libQt6[A-Za-z]*' <<<"$needed" | sort -u | tr '\n' ' ')"
"$cli" --db "$work/t.sqlite" run 1 --by ci >/dev/null
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$cli" --db "$work/t.sqlite" report 1 --pdf "$work/r.pdf"
if command -v pdftotext >/dev/null; then
    text=$(pdftotext "$work/r.pdf" -)  # not piped into grep -q: pipefail would see pdftotext's SIGPIPE
    grep -q "FIN-WS-042" <<<"$text" || { echo "packaged causa-cli's PDF lacks the host"; exit 1; }
fi
echo "packaged causa-cli wrote a PDF report headless: $(stat -c %s "$work/r.pdf") bytes"
