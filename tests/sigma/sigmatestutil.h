#pragma once

#include "events/evtxreader.h"
#include "events/nestedevent.h"

#include <QFile>
#include <QString>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace causa::test {

// The flat events of a shared data file: JSON lines as they are, nested evtx-dump objects
// flattened, .evtx records through EvtxReader: what the importer stores in events.data.
inline std::vector<std::string> flatEventsOf(const QString &path)
{
    std::vector<std::string> out;
    if (path.endsWith(QLatin1String(".evtx"))) {
        events::EvtxReader reader;
        auto r = reader.read(
            path, {},
            [&](const QByteArray &json, qint64) -> Result<void> {
                out.push_back(json.toStdString());
                return {};
            },
            [](qint64, const QString &) {});
        Q_UNUSED(r);
        return out;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QByteArray text = f.readAll();
    QString problem;
    for (const auto &[begin, end] : events::splitJsonValues(text, &problem)) {
        const std::string bytes = text.mid(begin, end - begin).toStdString();
        const auto j = nlohmann::json::parse(bytes, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            continue;
        out.push_back(events::isNestedEvent(j) ? events::flattenNestedEvent(j).dump() : bytes);
    }
    return out;
}

} // namespace causa::test
