#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

namespace causa {

// One peeled layer of a command line: which transform produced it, from where in its parent.
struct DecodeLayer
{
    QString transform;   // stable name: "base64-utf16le", "caret", "concat", ...
    qsizetype start = 0; // span in the parent layer (layer 0 = the original line)
    qsizetype end = 0;
    QString text;  // the whole text of this layer
    QString note;  // set when the lenient decode differs from what the shell would accept
    int edits = 0; // how many places changed (weights obfuscation findings; not exported)
};

// One reason the line is suspicious, with its ATT&CK technique and weight.
struct Finding
{
    QString category; // SPEC §6 category ("amsi_bypass", "download_cradle", ...)
    QString rule;     // the rule or catalogue entry that fired
    QString match;    // the text that matched
    int layer = 0;    // 0 = original, k = layers[k-1]
    qsizetype start = 0;
    qsizetype end = 0;
    QString mitre;        // "T1562.001"
    QString tactic;       // "defense-evasion"
    int weight = 0;       // 0-100: how strongly this alone indicates malice
    int contribution = 0; // points this finding added to the score
    QString note;         // e.g. "allowlisted by <name> v2"
};

// An indicator found in the line (or a decoded layer) and how it was written there.
struct ExtractedIndicator
{
    QString type;  // ipv4, ipv6, url, domain, md5, sha1, sha256, path, user, host
    QString value; // normalised
    QString asWritten;
    int layer = 0;
    bool internal = false; // private/reserved address, or a host inside one
    bool obfuscated = false;
};

// The XSOAR "Command-Line Analysis" sub-playbook verdict keys.
struct CommandLineFlags
{
    bool base64 = false;
    bool suspiciousParameters = false;
    bool networkActivity = false;
    bool maliciousTools = false;
    bool amsi = false;
    bool foundIndicators = false;
    bool suspiciousLolbinExecution = false;
    bool any() const
    {
        return base64 || suspiciousParameters || networkActivity || maliciousTools || amsi ||
               foundIndicators || suspiciousLolbinExecution;
    }
};

// Immutable outcome of analysing one command line (SPEC §6).
struct AnalysisResult
{
    QString commandLine;
    QString decoded;
    QList<DecodeLayer> layers;
    QList<Finding> findings;
    QList<ExtractedIndicator> indicators;
    QStringList lolbins;
    CommandLineFlags flags;
    int score = 0;
    QString risk = QStringLiteral("Low");
    QString verdict = QStringLiteral("benign");
    int xsoarScore = 0;
    QString xsoarRisk = QStringLiteral("Low");
    QString error; // set when the input could not be analysed (then the rest is empty)

    // Text of layer k (0 = the original line).
    const QString &layerText(int k) const
    {
        return k <= 0 || k > layers.size() ? commandLine : layers.at(k - 1).text;
    }
};

// The SPEC §6 JSON object (exactly its keys; findings carry contribution and an optional note).
nlohmann::json toJson(const AnalysisResult &result);
// An object for a line that could not be analysed: {"command_line": ..., "error": ...}.
nlohmann::json errorJson(const QString &commandLine, const QString &error);

QString riskForScore(int score);
QString verdictForScore(int score);

} // namespace causa
