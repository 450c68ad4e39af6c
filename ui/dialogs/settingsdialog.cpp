#include "settingsdialog.h"
#include "modelformat.h"

#include "core/jsonutil.h"
#include "secrets/secretstore.h"
#include "sigmafolderseditor.h"
#include "theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace causa {

namespace {

const QString kPlaybookId = QStringLiteral("remote-psexec-lolbin");

QLabel *note(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setTextFormat(Qt::PlainText);
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: palette(mid);"));
    return l;
}

QString jsonText(const nlohmann::json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return QString::fromStdString(v.dump());
}

QWidget *page(QWidget *content, const QString &where)
{
    // Every page says where its values live: the team's store or this user's profile.
    auto *w = new QWidget;
    auto *v = new QVBoxLayout(w);
    v->addWidget(content);
    v->addStretch(1);
    v->addWidget(note(where, w));
    return w;
}

} // namespace

SettingsDialog::SettingsDialog(const WorkbenchSettings &settings, QWidget *parent)
    : QDialog(parent), m_original(settings)
{
    setWindowTitle(tr("Settings"));
    if (auto def = PlaybookDefinition::load(kPlaybookId))
        m_def = def.value();
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildGeneral(), tr("General"));
    m_tabs->addTab(buildPlaybook(settings), tr("Playbook"));
    m_tabs->addTab(buildEnrichment(settings), tr("Enrichment"));
    m_tabs->addTab(buildReports(settings), tr("Reports"));
    m_tabs->addTab(buildResponse(settings), tr("Response"));
    m_tabs->addTab(buildHunting(settings), tr("Hunting"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateWidgets();
    QTimer::singleShot(0, this, &SettingsDialog::readKeyStatus);
}

QPushButton *SettingsDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QWidget *SettingsDialog::buildGeneral()
{
    auto *box = new QWidget;
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_analyst = new QLineEdit(box);
    m_analyst->setPlaceholderText(qEnvironmentVariable("USER", QStringLiteral("analyst")));
    m_analyst->setText(QSettings().value(QStringLiteral("analyst/name")).toString());
    m_analyst->setToolTip(tr("Recorded on notes, approvals and the audit trail"));
    form->addRow(tr("&Analyst name"), m_analyst);
    m_theme = new QComboBox(box);
    m_theme->addItem(tr("Follow the system"), themeName(Theme::System));
    m_theme->addItem(tr("Light"), themeName(Theme::Light));
    m_theme->addItem(tr("Dark"), themeName(Theme::Dark));
    const Theme current = themeFromString(QSettings().value(QStringLiteral("ui/theme")).toString());
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(themeName(current))));
    form->addRow(tr("&Theme"), m_theme);
    return page(box, tr("Stored for you on this computer."));
}

QWidget *SettingsDialog::buildPlaybook(const WorkbenchSettings &s)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(
        note(tr("Defaults for new playbook runs (%1). A run keeps the inputs it started with.")
                 .arg(m_def.title.isEmpty() ? kPlaybookId : m_def.title),
             box));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const nlohmann::json defaults = m_def.defaultInputs();
    for (const PlaybookInputSpec &in : m_def.inputs) {
        auto it = s.playbookInputs.find(in.name);
        const QString value = it != s.playbookInputs.end()
                                  ? it->second
                                  : jsonText(defaults.value(js::toStd(in.name), nlohmann::json()));
        QWidget *editor = nullptr;
        if (in.type == QLatin1String("bool")) {
            auto *c = new QCheckBox(box);
            c->setChecked(value == QLatin1String("true"));
            connect(c, &QCheckBox::toggled, this, &SettingsDialog::updateWidgets);
            editor = c;
        } else if (in.type == QLatin1String("int")) {
            auto *sp = new QSpinBox(box);
            sp->setRange(in.min == INT32_MIN ? 0 : in.min, in.max == INT32_MAX ? 1000 : in.max);
            sp->setValue(value.toInt());
            editor = sp;
        } else if (in.type == QLatin1String("enum")) {
            auto *c = new QComboBox(box);
            c->addItems(in.values);
            c->setCurrentText(value);
            editor = c;
        } else {
            auto *e = new QLineEdit(value, box);
            e->setPlaceholderText(tr("e.g. 90m, 2h, 1d"));
            connect(e, &QLineEdit::textChanged, this, &SettingsDialog::updateWidgets);
            editor = e;
        }
        editor->setToolTip(in.description);
        editor->setObjectName(in.name);
        auto *label = new QLabel(in.name, box);
        label->setToolTip(in.description);
        label->setBuddy(editor);
        form->addRow(label, editor);
        m_inputs[in.name] = editor;
    }
    v->addLayout(form);
    m_inputError = new QLabel(box);
    m_inputError->setTextFormat(Qt::PlainText);
    m_inputError->setWordWrap(true);
    m_inputError->setStyleSheet(QStringLiteral("color: #c62828;"));
    v->addWidget(m_inputError);
    return page(
        box,
        tr("Stored in the case store: everyone on this store and causa-cli use these defaults."));
}

QWidget *SettingsDialog::buildEnrichment(const WorkbenchSettings &s)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    m_offline = new QCheckBox(tr("&Offline mode: nothing leaves this machine"), box);
    m_offline->setChecked(s.offline);
    v->addWidget(m_offline);
    auto *providers = new QGroupBox(tr("Online providers"), box);
    auto *grid = new QFormLayout(providers);
    auto ttlSpin = [providers](int hours) {
        auto *sp = new QSpinBox(providers);
        sp->setRange(0, 24 * 365);
        sp->setSuffix(QObject::tr(" h cache"));
        sp->setValue(hours);
        return sp;
    };
    m_vtKey.secretName = QStringLiteral("virustotal");
    m_vtKey.label = tr("VirusTotal");
    m_vtKey.envVar = "CAUSA_VT_API_KEY";
    m_abuseKey.secretName = QStringLiteral("abuseipdb");
    m_abuseKey.label = tr("AbuseIPDB");
    m_abuseKey.envVar = "CAUSA_ABUSEIPDB_API_KEY";
    m_vt = new QCheckBox(tr("VirusTotal"), providers);
    m_vt->setChecked(s.virusTotalEnabled);
    m_vtTtl = ttlSpin(s.virusTotalTtlHours);
    grid->addRow(m_vt, m_vtTtl);
    grid->addRow(tr("API key"), buildKeyRow(m_vtKey, providers));
    m_abuse = new QCheckBox(tr("AbuseIPDB"), providers);
    m_abuse->setChecked(s.abuseIpDbEnabled);
    m_abuseTtl = ttlSpin(s.abuseIpDbTtlHours);
    grid->addRow(m_abuse, m_abuseTtl);
    grid->addRow(tr("API key"), buildKeyRow(m_abuseKey, providers));
    v->addWidget(providers);
    m_keyBackend = note(
        tr("API keys are yours, kept in the %1 — never in the case store, the reports or the logs, "
           "and never shown again once saved.")
            .arg(secrets::backendDescription()),
        box);
    v->addWidget(m_keyBackend);
    v->addWidget(note(
        tr("Local intel, built-in knowledge and the alert's own verdicts are always used. TLP:RED / "
           "PAP:RED indicators and internal IPs are never sent."),
        box));
    for (QCheckBox *c : {m_offline, m_vt, m_abuse})
        connect(c, &QCheckBox::toggled, this, &SettingsDialog::updateWidgets);
    return page(box, tr("Stored in the case store (team policy)."));
}

QWidget *SettingsDialog::buildReports(const WorkbenchSettings &s)
{
    auto *box = new QWidget;
    auto *form = new QFormLayout(box);
    m_tlp = new QComboBox(box);
    for (const QString &t : kTlpLevels)
        m_tlp->addItem(QStringLiteral("TLP:") + t, t);
    m_tlp->setCurrentIndex(std::max(0, m_tlp->findData(s.reportTlp)));
    form->addRow(tr("Default &TLP"), m_tlp);
    m_pap = new QComboBox(box);
    for (const QString &p : kPapLevels)
        m_pap->addItem(QStringLiteral("PAP:") + p, p);
    m_pap->setCurrentIndex(std::max(0, m_pap->findData(s.reportPap)));
    form->addRow(tr("Default &PAP"), m_pap);
    m_pageSize = new QComboBox(box);
    m_pageSize->addItem(tr("A4"), QStringLiteral("a4"));
    m_pageSize->addItem(tr("US Letter"), QStringLiteral("letter"));
    m_pageSize->setCurrentIndex(
        std::max(0, m_pageSize->findData(QSettings().value(QStringLiteral("export/pageSize"),
                                                           QStringLiteral("a4")))));
    form->addRow(tr("Page si&ze (yours)"), m_pageSize);
    return page(
        box,
        tr("Markings apply to cases without their own and are stored in the case store; the page "
           "size is stored for you on this computer."));
}

QWidget *SettingsDialog::buildResponse(const WorkbenchSettings &s)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    m_connector = new QComboBox(box);
    m_connector->addItem(tr("Export: signed action plan + reviewed PowerShell script"),
                         QStringLiteral("export"));
    m_connector->addItem(tr("Cortex XDR REST API"), QStringLiteral("xdr"));
    m_connector->setCurrentIndex(std::max(0, m_connector->findData(s.connector)));
    form->addRow(tr("Approved actions go to"), m_connector);
    v->addLayout(form);
    m_connectorNote = note(QString(), box);
    v->addWidget(m_connectorNote);
    // XDR tenant profiles and API keys (secret store) are managed in the tenants dialog; this
    // button is where that dialog plugs in (setTenantsHandler).
    auto *row = new QHBoxLayout;
    m_tenantsButton = new QPushButton(tr("XDR tenants…"), box);
    row->addWidget(m_tenantsButton);
    row->addStretch(1);
    v->addLayout(row);
    connect(m_tenantsButton, &QPushButton::clicked, this, [this] {
        if (m_tenants)
            m_tenants(this);
    });
    connect(m_connector, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateWidgets);
    return page(box, tr("Stored in the case store (team policy). API keys never are."));
}

QWidget *SettingsDialog::buildHunting(const WorkbenchSettings &s)
{
    m_sigma = new SigmaFoldersEditor(s.sigmaPaths);
    connect(m_sigma, &SigmaFoldersEditor::changed, this, &SettingsDialog::updateWidgets);
    auto *w = new QWidget;
    auto *v = new QVBoxLayout(w);
    v->addWidget(m_sigma, 1);
    v->addWidget(note(
        tr("Stored in the case store (team policy, hunt.sigma_paths): every analyst on this store and "
           "causa-cli read rules from these folders, so use paths that exist on their machines too "
           "(a shared drive)."),
        w));
    return w;
}

QWidget *SettingsDialog::buildKeyRow(KeyRow &row, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *h = new QHBoxLayout(w);
    h->setContentsMargins(0, 0, 0, 0);
    row.status = new QLabel(w);
    row.status->setTextFormat(Qt::PlainText);
    row.replace = new QPushButton(w);
    row.clear = new QPushButton(tr("Clear"), w);
    row.clear->setToolTip(tr("Remove the %1 key from the secret store").arg(row.label));
    h->addWidget(row.status, 1);
    h->addWidget(row.replace);
    h->addWidget(row.clear);
    KeyRow *r = &row;
    connect(row.replace, &QPushButton::clicked, this, [this, r] {
        bool ok = false;
        const QString key =
            QInputDialog::getText(
                this, tr("%1 API key").arg(r->label),
                tr("%1 API key (kept in the secret store, never shown again):").arg(r->label),
                QLineEdit::Password, QString(), &ok)
                .trimmed();
        if (!ok || key.isEmpty())
            return;
        r->edit = key;
        updateKeyRow(*r);
    });
    connect(row.clear, &QPushButton::clicked, this, [this, r] {
        r->edit = QString();
        updateKeyRow(*r);
    });
    updateKeyRow(row);
    return w;
}

void SettingsDialog::readKeyStatus()
{
    // Only whether a key exists is read back; the key itself never returns to the screen. The OS
    // keychain answers through an event loop of its own, so this runs once the dialog is up
    // rather than inside its constructor.
    for (KeyRow *row : {&m_vtKey, &m_abuseKey}) {
        auto stored = secrets::read(row->secretName);
        row->known = true;
        row->storedKey = stored && !stored->trimmed().isEmpty();
        row->envKey = !row->storedKey && !qEnvironmentVariable(row->envVar).trimmed().isEmpty();
        row->status->setToolTip(stored ? QString() : fmt::plainToolTip(stored.error().toString()));
        updateKeyRow(*row);
    }
}

void SettingsDialog::updateKeyRow(KeyRow &row)
{
    const bool pending = row.edit.has_value();
    const bool willHaveKey = pending ? !row.edit->isEmpty() : row.storedKey;
    QString text;
    if (pending)
        text = willHaveKey ? tr("set — saved when you press OK")
                           : tr("not set — cleared when you press OK");
    else if (!row.known)
        text = tr("checking…");
    else if (row.storedKey)
        text = tr("set");
    else if (row.envKey)
        text = tr("not set (%1 is used)").arg(QLatin1String(row.envVar));
    else
        text = tr("not set");
    row.status->setText(text);
    row.replace->setText(willHaveKey ? tr("Replace…") : tr("Set…"));
    row.replace->setToolTip(tr("Enter a new %1 API key").arg(row.label));
    row.clear->setEnabled(willHaveKey);
}

const SettingsDialog::KeyRow &SettingsDialog::keyRow(const QString &secretName) const
{
    return secretName == m_abuseKey.secretName ? m_abuseKey : m_vtKey;
}

Result<void> SettingsDialog::applyApiKeys() const
{
    for (const KeyRow *row : {&m_vtKey, &m_abuseKey}) {
        if (!row->edit)
            continue;
        auto r = row->edit->isEmpty() ? secrets::remove(row->secretName)
                                      : secrets::write(row->secretName, *row->edit);
        if (!r)
            return makeError(
                r.error().code,
                tr("the %1 API key was not saved: %2").arg(row->label, r.error().message));
    }
    return {};
}

void SettingsDialog::setTenantsHandler(std::function<void(QWidget *)> handler)
{
    m_tenants = std::move(handler);
    updateWidgets();
}

QWidget *SettingsDialog::inputEditor(const QString &name) const
{
    auto it = m_inputs.find(name);
    return it == m_inputs.end() ? nullptr : it->second;
}

WorkbenchSettings SettingsDialog::storeSettings() const
{
    WorkbenchSettings s = m_original;
    s.playbookInputs.clear();
    const nlohmann::json defaults = m_def.defaultInputs();
    for (const auto &[name, editor] : m_inputs) {
        QString value;
        if (auto *c = qobject_cast<QCheckBox *>(editor))
            value = c->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
        else if (auto *sp = qobject_cast<QSpinBox *>(editor))
            value = QString::number(sp->value());
        else if (auto *cb = qobject_cast<QComboBox *>(editor))
            value = cb->currentText();
        else if (auto *e = qobject_cast<QLineEdit *>(editor))
            value = e->text().trimmed();
        // Only values that differ from the playbook's default are kept, so a later playbook
        // version's new defaults still reach teams that never changed them.
        if (value != jsonText(defaults.value(js::toStd(name), nlohmann::json())))
            s.playbookInputs[name] = value;
    }
    s.offline = m_offline->isChecked();
    s.virusTotalEnabled = m_vt->isChecked();
    s.virusTotalTtlHours = m_vtTtl->value();
    s.abuseIpDbEnabled = m_abuse->isChecked();
    s.abuseIpDbTtlHours = m_abuseTtl->value();
    s.reportTlp = m_tlp->currentData().toString();
    s.reportPap = m_pap->currentData().toString();
    s.connector = m_connector->currentData().toString();
    s.sigmaPaths = m_sigma->folders();
    return s;
}

void SettingsDialog::applyUserSettings() const
{
    QSettings settings;
    const QString name = m_analyst->text().trimmed();
    if (name.isEmpty())
        settings.remove(QStringLiteral("analyst/name"));
    else
        settings.setValue(QStringLiteral("analyst/name"), name);
    settings.setValue(QStringLiteral("export/pageSize"), m_pageSize->currentData());
    const QString theme = m_theme->currentData().toString();
    if (theme != settings.value(QStringLiteral("ui/theme")).toString()) {
        settings.setValue(QStringLiteral("ui/theme"), theme);
        applyTheme(themeFromString(theme));
    }
}

void SettingsDialog::updateWidgets()
{
    const bool online = !m_offline->isChecked();
    m_vt->setEnabled(online);
    m_abuse->setEnabled(online);
    m_vtTtl->setEnabled(online && m_vt->isChecked());
    m_abuseTtl->setEnabled(online && m_abuse->isChecked());

    const auto check = storeSettings().validate();
    m_inputError->setText(check ? QString() : check.error().message);
    m_inputError->setVisible(!check);
    okButton()->setEnabled(check && m_sigma->isValid());

    const bool xdr = m_connector->currentData().toString() == QLatin1String("xdr");
    m_connectorNote->setText(
        xdr ? tr("Actions are sent to the Cortex XDR tenant (terminate_causality, run_script, "
                 "hash blocklist, isolate). Until a tenant profile is chosen the tenant comes "
                 "from CAUSA_XDR_URL / CAUSA_XDR_API_KEY_ID / CAUSA_XDR_API_KEY.")
            : tr("Approved actions are written to a signed action plan (JSON) and a PowerShell "
                 "script that does nothing unless run with -Execute."));
    m_tenantsButton->setEnabled(bool(m_tenants));
    m_tenantsButton->setToolTip(m_tenants
                                    ? tr("Tenant profiles and API keys")
                                    : tr("Tenant profiles are not available in this build yet"));
}

} // namespace causa
