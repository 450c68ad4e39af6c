#include "eventinsert.h"

#include "core/errorcodes.h"

#include <QCryptographicHash>

namespace causa::detail {

namespace {

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// Consecutive keys held by other records before giving up: with 64-bit hashes even two in a
// row mean something is wrong, so the bound only stops a runaway loop.
constexpr int kMaxProbes = 1000;

} // namespace

const QString &insertEventSql()
{
    static const QString sql = QStringLiteral(
        "INSERT INTO events (event_key, endpoint_id, process_key, kind, event_code, channel, ts, summary, "
        "source_file, source_line, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (ts, event_key) DO NOTHING");
    return sql;
}

const QString &storedEventDataSql()
{
    static const QString sql =
        QStringLiteral("SELECT data FROM events WHERE ts = ? AND event_key = ?");
    return sql;
}

qint64 eventKeyId(const QString &key)
{
    quint64 v = 0;
    bool hex = key.size() == 40;
    for (qsizetype i = 0; hex && i < 40; ++i) {
        const int d = hexValue(key.at(i).unicode());
        if (d < 0)
            hex = false;
        else if (i < 16)
            v = (v << 4) | quint64(d);
    }
    if (!hex) {
        const QByteArray h = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1);
        v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | quint64(quint8(h.at(i)));
    }
    return qint64(v);
}

Result<bool> insertEvent(const EventInsertStatements &s, const EventRecord &e,
                         const SqlValue &endpointId)
{
    const qint64 base = e.keyId ? *e.keyId : eventKeyId(e.key);
    for (int probe = 0; probe < kMaxProbes; ++probe) {
        // Unsigned arithmetic: the probe wraps from the largest key to the smallest.
        const qint64 key = qint64(quint64(base) + quint64(probe));
        auto r =
            s.insert->run({key, endpointId, e.processKey, e.kind, qint64(e.eventCode), e.channel,
                           e.timestamp, e.summary, e.sourceFile, e.sourceLine, Utf8Text{e.data}});
        if (!r)
            return r.error();
        if (s.insert->changes() > 0)
            return true;
        auto found = s.storedData->run({e.timestamp, key});
        if (!found)
            return found.error();
        if (!found.value())
            return makeError(errc::kSql,
                             QStringLiteral("event key %1 at %2 taken but no row holds it")
                                 .arg(key)
                                 .arg(e.timestamp));
        const QByteArray stored = s.storedData->columnText(0).toUtf8().trimmed();
        s.storedData->reset();
        // Trimmed here, not up front: only a taken key needs it, and the copy cost 2.5% of a
        // large import.
        if (stored == QByteArrayView(e.data).trimmed())
            return false;
    }
    return makeError(
        errc::kSql,
        QStringLiteral("no free event key after %1 probes from %2").arg(kMaxProbes).arg(base));
}

} // namespace causa::detail
