#include "playbookdefinition.h"

#include "core/errorcodes.h"
#include "core/jsonutil.h"

#include <QFile>
#include <QRegularExpression>

namespace causa {

using nlohmann::json;

namespace {

QString q(const json &obj, const char *key)
{
    return js::str(obj, key);
}

std::optional<StageCondition> readCondition(const json &stage, const char *key)
{
    const auto it = stage.find(key);
    if (it == stage.end() || !it->is_object())
        return std::nullopt;
    StageCondition c;
    c.stage = q(*it, "stage");
    c.output = q(*it, "output");
    c.equals = it->value("equals", json());
    c.reason = q(*it, "reason");
    return c;
}

QStringList strings(const json &obj, const char *key)
{
    QStringList out;
    const auto it = obj.find(key);
    if (it != obj.end() && it->is_array())
        for (const json &v : *it)
            if (v.is_string())
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

Result<json> convertInput(const PlaybookInputSpec &spec, const json &value)
{
    auto bad = [&](const QString &why) {
        return makeError(errc::kPlaybookInput, QStringLiteral("input %1: %2").arg(spec.name, why));
    };
    if (spec.type == QLatin1String("bool")) {
        if (value.is_boolean())
            return value;
        const QString s = js::toQString(value).trimmed().toLower();
        if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes") ||
            s == QLatin1String("on"))
            return json(true);
        if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no") ||
            s == QLatin1String("off"))
            return json(false);
        return bad(QStringLiteral("expected true or false, got '%1'").arg(s));
    }
    if (spec.type == QLatin1String("int")) {
        bool ok = value.is_number_integer();
        qint64 n = ok ? value.get<qint64>() : js::toQString(value).trimmed().toLongLong(&ok);
        if (!ok)
            return bad(QStringLiteral("expected an integer, got '%1'").arg(js::toQString(value)));
        if (n < spec.min || n > spec.max)
            return bad(QStringLiteral("%1 is outside %2..%3").arg(n).arg(spec.min).arg(spec.max));
        return json(n);
    }
    if (spec.type == QLatin1String("duration")) {
        const QString s = js::toQString(value).trimmed();
        if (parseDurationMs(s) < 0)
            return bad(QStringLiteral("expected a duration such as 2h, 90m, 30s, got '%1'").arg(s));
        return json(js::toStd(s));
    }
    if (spec.type == QLatin1String("enum")) {
        const QString s = js::toQString(value).trimmed();
        if (!spec.values.contains(s))
            return bad(QStringLiteral("expected one of %1, got '%2'")
                           .arg(spec.values.join(QStringLiteral(", ")), s));
        return json(js::toStd(s));
    }
    return bad(QStringLiteral("unknown input type '%1'").arg(spec.type));
}

} // namespace

qint64 parseDurationMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,9})\\s*(ms|s|m|h|d)?\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    if (unit.isEmpty() || unit == QLatin1String("ms"))
        return n;
    if (unit == QLatin1String("s"))
        return n * 1000;
    if (unit == QLatin1String("m"))
        return n * 60'000;
    if (unit == QLatin1String("h"))
        return n * 3'600'000;
    return n * 86'400'000;
}

const StageDefinition *PlaybookDefinition::stage(const QString &id) const
{
    for (const StageDefinition &s : stages)
        if (s.id == id)
            return &s;
    return nullptr;
}

int PlaybookDefinition::stageIndex(const QString &id) const
{
    for (size_t i = 0; i < stages.size(); ++i)
        if (stages[i].id == id)
            return int(i);
    return -1;
}

json PlaybookDefinition::defaultInputs() const
{
    json j = json::object();
    for (const PlaybookInputSpec &s : inputs)
        j[js::toStd(s.name)] = s.defaultValue;
    return j;
}

Result<json> PlaybookDefinition::applyInputs(json base, const QStringList &assignments) const
{
    for (const QString &a : assignments) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(errc::kPlaybookInput,
                             QStringLiteral("expected NAME=VALUE, got '%1'").arg(a));
        const QString name = a.left(eq).trimmed();
        const PlaybookInputSpec *spec = nullptr;
        for (const PlaybookInputSpec &s : inputs)
            if (s.name.compare(name, Qt::CaseInsensitive) == 0)
                spec = &s;
        if (!spec) {
            QStringList known;
            for (const PlaybookInputSpec &s : inputs)
                known << s.name;
            return makeError(errc::kPlaybookInput,
                             QStringLiteral("unknown input '%1' (known: %2)")
                                 .arg(name, known.join(QStringLiteral(", "))));
        }
        auto v = convertInput(*spec, json(js::toStd(a.mid(eq + 1))));
        if (!v)
            return v.error();
        base[js::toStd(spec->name)] = v.value();
    }
    return base;
}

Result<void> PlaybookDefinition::validateInputs(const json &in) const
{
    if (!in.is_object())
        return makeError(errc::kPlaybookInput, QStringLiteral("inputs must be an object"));
    for (const PlaybookInputSpec &s : inputs) {
        const auto it = in.find(js::toStd(s.name));
        if (it == in.end())
            return makeError(errc::kPlaybookInput,
                             QStringLiteral("input %1 is missing").arg(s.name));
        if (auto v = convertInput(s, *it); !v)
            return v.error();
    }
    return {};
}

Result<PlaybookDefinition> PlaybookDefinition::parse(const QByteArray &bytes, const QString &origin)
{
    auto doc = js::parseDocument(bytes, origin, 32);
    if (!doc)
        return doc.error();
    const json &j = doc.value();
    auto bad = [&](const QString &why) {
        return makeError(errc::kPlaybookDefinition, why, origin);
    };
    if (!j.is_object())
        return bad(QStringLiteral("a playbook is a JSON object"));
    PlaybookDefinition d;
    d.id = q(j, "id");
    d.version = q(j, "version");
    d.title = q(j, "title");
    if (d.id.isEmpty())
        return bad(QStringLiteral("missing 'id'"));
    for (const json &i : j.value("inputs", json::array())) {
        PlaybookInputSpec s;
        s.name = q(i, "name");
        s.type = q(i, "type");
        s.values = strings(i, "values");
        s.min = int(js::int64(i, "min", INT32_MIN));
        s.max = int(js::int64(i, "max", INT32_MAX));
        s.description = q(i, "description");
        auto def = convertInput(s, i.value("default", json()));
        if (!def)
            return bad(def.error().message);
        s.defaultValue = def.value();
        d.inputs.push_back(std::move(s));
    }
    for (const json &st : j.value("stages", json::array())) {
        StageDefinition s;
        s.id = q(st, "id");
        s.number = q(st, "number");
        s.title = q(st, "title");
        s.executor = q(st, "executor");
        s.description = q(st, "description");
        s.skipIf = readCondition(st, "skip_if");
        s.runIf = readCondition(st, "run_if");
        s.proposes = strings(st, "proposes");
        s.checklist = strings(st, "checklist");
        s.blocking = js::boolean(st, "blocking");
        if (s.id.isEmpty() || s.executor.isEmpty())
            return bad(QStringLiteral("a stage needs an 'id' and an 'executor'"));
        if (d.stage(s.id))
            return bad(QStringLiteral("stage '%1' is declared twice").arg(s.id));
        for (const auto &c : {s.skipIf, s.runIf})
            if (c && !d.stage(c->stage))
                return bad(
                    QStringLiteral("stage '%1' depends on '%2', which is not an earlier stage")
                        .arg(s.id, c->stage));
        d.stages.push_back(std::move(s));
    }
    if (d.stages.empty())
        return bad(QStringLiteral("no stages"));
    return d;
}

Result<PlaybookDefinition> PlaybookDefinition::load(const QString &id)
{
    const QString path = QStringLiteral(":/causa/playbooks/") + id + QStringLiteral(".json");
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(errc::kNoPlaybook, QStringLiteral("no playbook named '%1'").arg(id), path);
    return parse(f.readAll(), path);
}

} // namespace causa
