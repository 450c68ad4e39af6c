// Chunked-body decoding cost against body size (issue 18: linear parsing). Feeds bodies of
// one-byte chunks in 4 KiB reads, as a socket delivers them, and prints CPU time per MiB; a
// decoder that re-parses its whole buffer on each read shows time per MiB growing with size.
#include "benchutil.h"
#include "connectors/chunkeddecoder.h"

#include <QByteArray>

#include <cstdio>

int main()
{
    for (const int chunks : {1 << 16, 1 << 18, 1 << 20}) {
        QByteArray wire;
        wire.reserve(qsizetype(chunks) * 6 + 5);
        for (int i = 0; i < chunks; ++i)
            wire += "1\r\n" + QByteArray(1, char('a' + i % 26)) + "\r\n";
        wire += "0\r\n\r\n";
        const double start = causa::bench::cpuSeconds();
        causa::ChunkedDecoder decoder(64 << 20);
        for (qsizetype pos = 0; pos < wire.size(); pos += 4096)
            decoder.feed(
                QByteArrayView(wire).sliced(pos, std::min<qsizetype>(4096, wire.size() - pos)));
        const double cpu = causa::bench::cpuSeconds() - start;
        const double mib = double(wire.size()) / (1 << 20);
        std::printf("%8d one-byte chunks (%.1f MiB on the wire): %.3f CPU s, %.3f CPU s/MiB, %s\n",
                    chunks, mib, cpu, cpu / mib,
                    decoder.state() == causa::ChunkedDecoder::State::Done ? "done" : "NOT DONE");
    }
    return 0;
}
