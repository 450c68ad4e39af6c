#include "nestedevent.h"

#include <nlohmann/json.hpp>

namespace causa::events {

namespace {

using nlohmann::json;

// A leaf's value: a scalar as it is; {"#text": v, "#attributes": ...} as v.
const json *leafValue(const json &v)
{
    if (v.is_object()) {
        const auto text = v.find("#text");
        return text != v.end() ? &*text : nullptr;
    }
    return v.is_array() ? nullptr : &v;
}

void copyScalar(json &out, const std::string &key, const json &v)
{
    if (v.is_null() || key.empty())
        return;
    if (v.is_string() || v.is_number() || v.is_boolean())
        out[key] = v;
    else
        out[key] = v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void flattenSystem(const json &system, json &out)
{
    for (auto it = system.begin(); it != system.end(); ++it) {
        const std::string &key = it.key();
        const json &v = it.value();
        if (key == "#attributes")
            continue;
        if (v.is_object()) {
            const auto attrs = v.find("#attributes");
            if (attrs != v.end() && attrs->is_object()) {
                for (auto a = attrs->begin(); a != attrs->end(); ++a) {
                    // The names EvtxReader::flatten and python-evtx give these attributes.
                    if (key == "Provider" && a.key() == "Name")
                        copyScalar(out, "Provider_Name", a.value());
                    else if (key == "TimeCreated" && a.key() == "SystemTime")
                        copyScalar(out, "TimeCreated", a.value());
                    else if (key == "Execution")
                        copyScalar(out,
                                   a.key() == "ProcessID"  ? "ExecutionProcessID"
                                   : a.key() == "ThreadID" ? "ExecutionThreadID"
                                                           : key + a.key(),
                                   a.value());
                    else if (key == "Security" && a.key() == "UserID")
                        copyScalar(out, "UserID", a.value());
                    else
                        copyScalar(out, key + "_" + a.key(), a.value());
                }
            }
        }
        if (const json *leaf = leafValue(v))
            copyScalar(out, key, *leaf);
    }
}

// EventData: {"Name": value, ...}, or {"Data": [{"#attributes": {"Name": n}, "#text": v}, ...]}
// and unnamed Data lists (Data0, Data1...).
void flattenData(const json &data, json &out)
{
    int unnamed = 0;
    for (auto it = data.begin(); it != data.end(); ++it) {
        if (it.key() == "#attributes")
            continue;
        const json &v = it.value();
        if (it.key() == "Data" && (v.is_array() || v.is_object())) {
            const json list = v.is_array() ? v : json::array({v});
            for (const json &d : list) {
                const json *leaf = leafValue(d);
                std::string name;
                if (d.is_object()) {
                    const auto attrs = d.find("#attributes");
                    if (attrs != d.end() && attrs->is_object() && attrs->contains("Name") &&
                        (*attrs)["Name"].is_string())
                        name = (*attrs)["Name"].get<std::string>();
                }
                if (name.empty())
                    name = "Data" + std::to_string(unnamed++);
                if (leaf)
                    copyScalar(out, name, *leaf);
            }
            continue;
        }
        if (const json *leaf = leafValue(v))
            copyScalar(out, it.key(), *leaf);
        else if (v.is_object())
            flattenData(v, out); // UserData wraps its leaves in one element
    }
}

} // namespace

bool isNestedEvent(const nlohmann::json &obj)
{
    if (!obj.is_object())
        return false;
    const auto ev = obj.find("Event");
    return ev != obj.end() && ev->is_object() && ev->contains("System") &&
           (*ev)["System"].is_object();
}

nlohmann::json flattenNestedEvent(const nlohmann::json &obj)
{
    json out = json::object();
    const json &ev = obj.at("Event");
    flattenSystem(ev.at("System"), out);
    for (const char *part : {"EventData", "UserData"}) {
        const auto it = ev.find(part);
        if (it != ev.end() && it->is_object())
            flattenData(*it, out);
    }
    return out;
}

std::vector<std::pair<qsizetype, qsizetype>> splitJsonValues(const QByteArray &text,
                                                             QString *problem)
{
    std::vector<std::pair<qsizetype, qsizetype>> out;
    const char *d = text.constData();
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (true) {
        while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
            ++i;
        if (i >= n)
            return out;
        if (d[i] != '{' && d[i] != '[') {
            *problem = QStringLiteral("byte %1: expected '{'").arg(i);
            return out;
        }
        const qsizetype begin = i;
        int depth = 0;
        bool inString = false;
        for (; i < n; ++i) {
            const char c = d[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                ++i;
                break;
            }
        }
        if (depth != 0) {
            *problem = QStringLiteral("byte %1: unterminated JSON value").arg(begin);
            return out;
        }
        out.emplace_back(begin, i);
    }
}

} // namespace causa::events
