#pragma once

#include <QtGlobal>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace causa::test {

// A realistic full-width XDR alert (get_alerts shape): four process roles, hashes, IPs, MITRE
// arrays, ~3 KB of JSON. Deterministic in i; shared by bench_xdrimport and the stored-rows test.
inline nlohmann::json makeFullWidthAlert(int i)
{
    auto hex = [](quint64 seed, int len) {
        std::string s;
        quint64 x = seed * 0x9E3779B97F4A7C15ull + 1;
        while (int(s.size()) < len) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char buf[17];
            std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
            s += buf;
        }
        return s.substr(0, size_t(len));
    };
    const int host = i % 500;
    const std::string hostName = "WS-" + std::to_string(10000 + host);
    nlohmann::json a = {
        {"alert_id", std::to_string(1000000 + i)},
        {"external_id", hex(i, 32)},
        {"detection_timestamp", 1790000000000LL + qint64(i) * 1000},
        {"source", "XDR Analytics BIOC"},
        {"severity", i % 7 == 0 ? "high" : "medium"},
        {"name",
         "Remote PsExec-like LOLBIN command execution from an unsigned non-standard PsExec service"},
        {"category", "Lateral Movement"},
        {"action", "DETECTED"},
        {"action_pretty", "Detected (Reported)"},
        {"matching_service_rule_id", "f2282012-53aa-44f0-bda2-e45cd6b8b61a"},
        {"host_ip", "10.1." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1)},
        {"host_name", hostName},
        {"user_name", "CORP\\user" + std::to_string(i % 300)},
        {"endpoint_id", hex(host, 32)},
        {"mitre_tactic_id_and_name", {"TA0008 - Lateral Movement", "TA0002 - Execution"}},
        {"mitre_technique_id_and_name", {"T1021.002 - Remote Services: SMB/Windows Admin Shares"}},
        {"action_remote_ip", "10.9." + std::to_string(i % 200) + ".7"},
        {"action_remote_port", 445},
        {"description", "A PsExec-like service ran a LOLBIN on the host"},
        {"case_id", 5000 + i / 4},
    };
    const char *roles[] = {"causality_actor_process", "actor_process", "os_actor_process",
                           "action_process"};
    const char *images[] = {"psexesvc.exe", "psexesvc.exe", "cmd.exe", "powershell.exe"};
    for (int r = 0; r < 4; ++r) {
        const std::string p = roles[r];
        a[p + "_image_name"] = images[r];
        a[p + "_image_path"] = std::string("C:\\Windows\\System32\\") + images[r];
        a[p + (r == 3 ? "_image_command_line" : "_command_line")] =
            std::string(images[r]) + " /c powershell -nop -w hidden -enc " + hex(i * 4 + r, 120);
        a[p + "_image_sha256"] = hex(i % 1000 * 4 + r, 64);
        a[p + "_image_md5"] = hex(i % 1000 * 4 + r + 7, 32);
        a[p + "_os_pid"] = 1000 + (i * 4 + r) % 60000;
        a[p + "_signature_status"] = r < 2 ? "SIGNATURE_UNSIGNED" : "SIGNATURE_SIGNED";
        a[p + "_signature_vendor"] = r < 2 ? nullptr : nlohmann::json("Microsoft Corporation");
        a[p + "_instance_id"] = hex(i * 8 + (r == 1 ? 0 : r), 24);
    }
    a["causality_actor_causality_id"] = a["causality_actor_process_instance_id"];
    return a;
}

} // namespace causa::test
