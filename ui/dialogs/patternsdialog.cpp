#include "patternsdialog.h"

#include "decisiondialog.h"
#include "services/workbenchservice.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace causa {

PatternsDialog::PatternsDialog(WorkbenchService *service, const QString &analyst, QWidget *parent)
    : QDialog(parent), m_service(service), m_analyst(analyst)
{
    setWindowTitle(tr("Patterns and allowlist"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Custom patterns add findings; allowlist entries discount matching command lines. "
           "Both apply to the CLI, the workbench, the playbook and reports; each change is a "
           "new version and findings name the version that fired."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_table = new QTableWidget(0, 7, this);
    m_table->setHorizontalHeaderLabels({tr("Kind"), tr("Name"), tr("Version"), tr("Matches"),
                                        tr("Category / weight"), tr("State"), tr("By")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    auto *row = new QHBoxLayout;
    m_history = new QCheckBox(tr("Show retired versions"), this);
    m_add = new QPushButton(tr("Add pattern…"), this);
    m_allow = new QPushButton(tr("Add allowlist entry…"), this);
    m_edit = new QPushButton(tr("Edit…"), this);
    m_disable = new QPushButton(tr("Disable"), this);
    row->addWidget(m_history);
    row->addStretch(1);
    for (QPushButton *b : {m_add, m_allow, m_edit, m_disable})
        row->addWidget(b);
    layout->addLayout(row);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_service, &WorkbenchService::patternsLoaded, this, &PatternsDialog::show);
    connect(m_history, &QCheckBox::toggled, this, [this] { show(m_patterns); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &PatternsDialog::updateWidgets);
    connect(m_add, &QPushButton::clicked, this,
            [this] { edit(nullptr, QStringLiteral("pattern")); });
    connect(m_allow, &QPushButton::clicked, this,
            [this] { edit(nullptr, QStringLiteral("allowlist")); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (const StoredPattern *p = selected())
            edit(p, p->rule.kind);
    });
    connect(m_disable, &QPushButton::clicked, this, [this] {
        if (const StoredPattern *p = selected())
            m_service->retirePattern(p->rule.kind, p->rule.name);
    });
    resize(900, 420);
    updateWidgets();
    m_service->loadPatterns();
}

void PatternsDialog::show(const QList<StoredPattern> &patterns)
{
    m_patterns = patterns;
    m_rows.clear();
    m_table->setRowCount(0);
    for (int i = 0; i < m_patterns.size(); ++i) {
        const StoredPattern &p = m_patterns.at(i);
        if (!p.active && !m_history->isChecked())
            continue;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_rows << i;
        const QString when = QDateTime::fromMSecsSinceEpoch(p.createdAt)
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        const QStringList cells = {
            p.rule.kind,
            p.rule.name,
            QStringLiteral("v%1").arg(p.rule.version),
            p.rule.pattern,
            p.rule.kind == QLatin1String("pattern")
                ? QStringLiteral("%1 / %2").arg(p.rule.category).arg(p.rule.weight)
                : QString(),
            p.active ? tr("active") : tr("retired"),
            QStringLiteral("%1, %2").arg(p.createdBy.isEmpty() ? QStringLiteral("-") : p.createdBy,
                                         when)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells.at(c))); // items are plain text
    }
    m_table->resizeColumnsToContents();
    updateWidgets();
}

const StoredPattern *PatternsDialog::selected() const
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_rows.size() || m_table->selectedItems().isEmpty())
        return nullptr;
    return &m_patterns.at(m_rows.at(row));
}

void PatternsDialog::edit(const StoredPattern *existing, const QString &kind)
{
    const bool pattern = kind == QLatin1String("pattern");
    DecisionDialog dialog(
        existing  ? tr("Edit %1").arg(existing->rule.name)
        : pattern ? tr("Add pattern")
                  : tr("Add allowlist entry"),
        tr("Case-insensitive text; \"a && b\" needs both. Saving under an existing name makes a new version."),
        this);
    dialog.setValueField(tr("Matches"), existing ? existing->rule.pattern : QString());
    if (pattern) {
        QList<std::pair<QString, QString>> categories;
        for (const char *c :
             {"suspicious_parameters", "download_cradle", "credential_access", "lateral_movement",
              "persistence", "defense_evasion", "reconnaissance", "exfiltration", "offensive_tool",
              "lolbin_proxy_execution"})
            categories.push_back({QString::fromLatin1(c), QString::fromLatin1(c)});
        dialog.setChoices(tr("Category"), categories,
                          existing ? existing->rule.category
                                   : QStringLiteral("suspicious_parameters"));
    }
    if (pattern)
        dialog.setNumberField(tr("Weight (0-100)"), existing ? existing->rule.weight : 40, 0, 100);
    dialog.setReasonLabel(tr("Name (the same name makes a new version):"));
    if (existing)
        dialog.reasonEdit()->setPlainText(existing->rule.name);
    if (dialog.exec() != QDialog::Accepted)
        return;
    CustomRule rule;
    rule.kind = kind;
    rule.name = dialog.reason().simplified();
    rule.weight = pattern ? dialog.number() : 0;
    rule.pattern = dialog.value();
    rule.category = pattern ? dialog.choice() : QString();
    save(rule);
}

void PatternsDialog::save(const CustomRule &rule)
{
    m_service->savePattern(rule, m_analyst);
}

void PatternsDialog::updateWidgets()
{
    const StoredPattern *p = selected();
    m_edit->setEnabled(p && p->active);
    m_disable->setEnabled(p && p->active);
}

} // namespace causa
