#pragma once

#include <functional>
#include <memory>

#include "cmdline/analysisresult.h"
#include "services/casedetail.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QSplitter;
class QTabWidget;
class QTableWidget;

namespace causa {

class CommandLineAnalyzer;

// The case's command lines, each decoded layer by layer: original and decoded text side by side,
// the layer chain (selecting a layer highlights its span in the parent), and in two tabs the
// findings with ATT&CK ids and contributions and the extracted indicators. All text is shown
// literally.
class CommandLinePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit CommandLinePanel(QWidget *parent = nullptr);
    // Starts the analysis of one line off the GUI thread, on a pool its owner drains before the
    // store goes (the service's, with the store's custom rules); without one, the built-in
    // analyser on the global pool.
    using AnalysisRunner = std::function<QFuture<AnalysisResult>(const QString &)>;
    void setAnalysisRunner(AnalysisRunner runner) { m_runner = std::move(runner); }
    void setDetail(const CaseDetail &detail);
    // Analyses one line (off the GUI thread) and shows it.
    void showCommandLine(const QString &commandLine);
    // Selects the case's line with exactly this text (and analyses it); false when absent.
    bool selectCommandLine(const QString &commandLine);
    const AnalysisResult &result() const { return m_result; }
    // The analysis started last (finished once shown).
    QFuture<AnalysisResult> pendingAnalysis() const { return m_watcher.future(); }
    QListWidget *lines() const { return m_lines; }
    QListWidget *layers() const { return m_layers; }
    QTableWidget *findings() const { return m_findings; }
    QTableWidget *indicators() const { return m_indicators; }
    QTabWidget *details() const { return m_details; }
    QPlainTextEdit *parentText() const { return m_parentText; }

Q_SIGNALS:
    void analysed();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void render();
    // Gives a splitter's first pane (a list) the width of its longest entry, up to cap.
    static void fitFirstPane(QSplitter *splitter, QListWidget *list, int cap);
    void selectLayer(int row);

    QListWidget *m_lines;
    QSplitter *m_outer = nullptr;
    QSplitter *m_lower = nullptr;
    QLabel *m_verdict;
    QPlainTextEdit *m_parentText;
    QPlainTextEdit *m_decoded;
    QListWidget *m_layers;
    QTableWidget *m_findings;
    QTableWidget *m_indicators;
    QTabWidget *m_details;
    QFutureWatcher<AnalysisResult> m_watcher;
    AnalysisResult m_result;
    AnalysisRunner m_runner;
};

} // namespace causa
