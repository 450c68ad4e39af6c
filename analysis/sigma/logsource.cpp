#include "logsource.h"

#include "xdralert.h"

#include <QHash>

namespace causa::sigma::detail {

namespace {

const char *const kSysmon = "microsoft-windows-sysmon/operational";

// Sigma's Windows categories as Sysmon event ids (the Sysmon pipeline of the Sigma project).
const QHash<QString, std::vector<int>> &sysmonCategories()
{
    static const QHash<QString, std::vector<int>> map = {
        {QStringLiteral("process_creation"), {1}},
        {QStringLiteral("file_change"), {2}},
        {QStringLiteral("network_connection"), {3}},
        {QStringLiteral("sysmon_status"), {4, 16}},
        {QStringLiteral("process_termination"), {5}},
        {QStringLiteral("driver_load"), {6}},
        {QStringLiteral("image_load"), {7}},
        {QStringLiteral("create_remote_thread"), {8}},
        {QStringLiteral("raw_access_thread"), {9}},
        {QStringLiteral("process_access"), {10}},
        {QStringLiteral("file_event"), {11}},
        {QStringLiteral("registry_add"), {12}},
        {QStringLiteral("registry_delete"), {12}},
        {QStringLiteral("registry_set"), {13}},
        {QStringLiteral("registry_rename"), {14}},
        {QStringLiteral("registry_event"), {12, 13, 14}},
        {QStringLiteral("create_stream_hash"), {15}},
        {QStringLiteral("pipe_created"), {17, 18}},
        {QStringLiteral("wmi_event"), {19, 20, 21}},
        {QStringLiteral("dns_query"), {22}},
        {QStringLiteral("file_delete"), {23, 26}},
        {QStringLiteral("clipboard_capture"), {24}},
        {QStringLiteral("process_tampering"), {25}},
        {QStringLiteral("file_delete_detected"), {26}},
        {QStringLiteral("file_block_executable"), {27}},
        {QStringLiteral("file_block_shredding"), {28}},
        {QStringLiteral("file_executable_detected"), {29}},
        {QStringLiteral("sysmon_error"), {255}},
    };
    return map;
}

// Windows services as event log channels (lower case).
const QHash<QString, std::vector<const char *>> &serviceChannels()
{
    static const QHash<QString, std::vector<const char *>> map = {
        {QStringLiteral("security"), {"security"}},
        {QStringLiteral("system"), {"system"}},
        {QStringLiteral("application"), {"application"}},
        {QStringLiteral("sysmon"), {kSysmon}},
        {QStringLiteral("powershell"), {"microsoft-windows-powershell/operational"}},
        {QStringLiteral("powershell-classic"), {"windows powershell"}},
        {QStringLiteral("taskscheduler"), {"microsoft-windows-taskscheduler/operational"}},
        {QStringLiteral("wmi"), {"microsoft-windows-wmi-activity/operational"}},
        {QStringLiteral("dns-server"), {"dns server"}},
        {QStringLiteral("dns-client"), {"microsoft-windows-dns client events/operational"}},
        {QStringLiteral("driver-framework"),
         {"microsoft-windows-driverframeworks-usermode/operational"}},
        {QStringLiteral("ntlm"), {"microsoft-windows-ntlm/operational"}},
        {QStringLiteral("bits-client"), {"microsoft-windows-bits-client/operational"}},
        {QStringLiteral("applocker"),
         {"microsoft-windows-applocker/msi and script", "microsoft-windows-applocker/exe and dll",
          "microsoft-windows-applocker/packaged app-deployment",
          "microsoft-windows-applocker/packaged app-execution"}},
        {QStringLiteral("msexchange-management"), {"msexchange management"}},
        {QStringLiteral("smbclient-security"), {"microsoft-windows-smbclient/security"}},
        {QStringLiteral("smbserver-connectivity"), {"microsoft-windows-smbserver/connectivity"}},
        {QStringLiteral("codeintegrity-operational"),
         {"microsoft-windows-codeintegrity/operational"}},
        {QStringLiteral("firewall-as"),
         {"microsoft-windows-windows firewall with advanced security/firewall"}},
        {QStringLiteral("windefend"), {"microsoft-windows-windows defender/operational"}},
        {QStringLiteral("security-mitigations"),
         {"microsoft-windows-security-mitigations/kernel mode",
          "microsoft-windows-security-mitigations/user mode"}},
        {QStringLiteral("openssh"), {"openssh/operational"}},
        {QStringLiteral("ldap"), {"microsoft-windows-ldap-client/debug"}},
        {QStringLiteral("appxdeployment-server"),
         {"microsoft-windows-appxdeploymentserver/operational"}},
        {QStringLiteral("appxpackaging-om"), {"microsoft-windows-appxpackaging/operational"}},
        {QStringLiteral("appmodel-runtime"), {"microsoft-windows-appmodel-runtime/admin"}},
        {QStringLiteral("lsa-server"), {"microsoft-windows-lsa/operational"}},
        {QStringLiteral("capi2"), {"microsoft-windows-capi2/operational"}},
        {QStringLiteral("certificateservicesclient-lifecycle-system"),
         {"microsoft-windows-certificateservicesclient-lifecycle-system/operational"}},
        {QStringLiteral("terminalservices-localsessionmanager"),
         {"microsoft-windows-terminalservices-localsessionmanager/operational"}},
        {QStringLiteral("shell-core"), {"microsoft-windows-shell-core/operational"}},
        {QStringLiteral("iis-configuration"), {"microsoft-iis-configuration/operational"}},
        {QStringLiteral("diagnosis-scripted"),
         {"microsoft-windows-diagnosis-scripted/operational"}},
        {QStringLiteral("microsoft-servicebus-client"), {"microsoft-servicebus-client"}},
        {QStringLiteral("vhdmp"), {"microsoft-windows-vhdmp/operational"}},
        {QStringLiteral("printservice-admin"), {"microsoft-windows-printservice/admin"}},
        {QStringLiteral("printservice-operational"),
         {"microsoft-windows-printservice/operational"}},
    };
    return map;
}

// Security 4688 read as a process creation: the names the Sigma project's Windows audit
// pipeline gives Sysmon's fields there. Fields 4688 does not have (OriginalFileName, Hashes,
// ParentCommandLine...) stay unmapped: absent, they match no value.
std::vector<std::pair<std::string, std::string>> securityProcessCreation()
{
    return {{"Image", "NewProcessName"},         {"ParentImage", "ParentProcessName"},
            {"ProcessId", "NewProcessId"},       {"ParentProcessId", "ProcessId"},
            {"User", "SubjectUserName"},         {"LogonId", "SubjectLogonId"},
            {"IntegrityLevel", "MandatoryLabel"}};
}

} // namespace

std::vector<LogTarget> targetsFor(const QString &product, const QString &category,
                                  const QString &service, QString *reason)
{
    if (product.compare(QLatin1String("windows"), Qt::CaseInsensitive) != 0) {
        *reason = QStringLiteral("unsupported logsource product '%1'").arg(product);
        return {};
    }
    std::vector<LogTarget> out;
    const QString cat = category.toLower();
    const QString svc = service.toLower();
    if (!cat.isEmpty()) {
        if (!svc.isEmpty()) {
            *reason = QStringLiteral("logsource with both category '%1' and service '%2'")
                          .arg(category, service);
            return {};
        }
        const auto sysmon = sysmonCategories().constFind(cat);
        if (sysmon != sysmonCategories().cend())
            out.push_back({QStringLiteral("sysmon ") + cat, kSysmon, *sysmon, {}});
        if (cat == QLatin1String("process_creation")) {
            out.push_back(
                {QStringLiteral("security 4688"), "security", {4688}, securityProcessCreation()});
            // Stored XDR alerts, already in Sigma's names (xdrAlertEvent).
            out.push_back({QStringLiteral("xdr alert"), kXdrAlertChannel, {}, {}});
        }
        const struct
        {
            const char *category;
            const char *channel;
            int id;
        } powershell[] = {
            {"ps_module", "microsoft-windows-powershell/operational", 4103},
            {"ps_script", "microsoft-windows-powershell/operational", 4104},
            {"ps_classic_start", "windows powershell", 400},
            {"ps_classic_provider_start", "windows powershell", 600},
            {"ps_classic_script", "windows powershell", 800},
        };
        for (const auto &p : powershell)
            if (cat == QLatin1String(p.category))
                out.push_back({cat, p.channel, {p.id}, {}});
        if (out.empty())
            *reason = QStringLiteral("unsupported logsource category '%1'").arg(category);
        return out;
    }
    if (svc.isEmpty()) {
        *reason = QStringLiteral("logsource names neither a category nor a service");
        return {};
    }
    const auto channels = serviceChannels().constFind(svc);
    if (channels == serviceChannels().cend()) {
        *reason = QStringLiteral("unsupported logsource service '%1'").arg(service);
        return {};
    }
    for (const char *channel : *channels)
        out.push_back({QStringLiteral("service ") + svc, channel, {}, {}});
    return out;
}

} // namespace causa::sigma::detail
