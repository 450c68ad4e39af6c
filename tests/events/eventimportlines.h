#pragma once

// Literal event lines used by tst_eventimport (kept out of the test file: moc cannot lex
// some raw string literals).
#include <QByteArray>

namespace causa::test::lines {

inline QByteArray line0()
{
    return QByteArray(
        "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"H1\", \"UtcTime\": \"2024-01-01 10:00:00.000\", \"ProcessGuid\": \"{aaaa-1}\", \"ProcessId\": 100, \"Image\": \"C:\\\\Windows\\\\System32\\\\cmd.exe\", \"CommandLine\": \"cmd.exe /c whoami\", \"ParentProcessGuid\": \"{aaaa-0}\", \"ParentProcessId\": 50, \"ParentImage\": \"C:\\\\Windows\\\\explorer.exe\"}");
}

inline QByteArray line1()
{
    return QByteArray(
        "{\"EventID\": 3, \"Channel\": \"microsoft-windows-sysmon/operational\", \"Hostname\": \"H1\", \"UtcTime\": \"2024-01-01 10:00:01.000\", \"ProcessGuid\": \"{aaaa-1}\", \"ProcessId\": 100, \"Protocol\": \"tcp\", \"SourceIp\": \"10.0.0.5\", \"SourcePort\": \"50000\", \"DestinationIp\": \"203.0.113.9\", \"DestinationPort\": \"443\"}");
}

inline QByteArray line2()
{
    return QByteArray(
        "{\"EventID\": 11, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"H1\", \"TargetFilename\": \"");
}

inline QByteArray line3()
{
    return QByteArray("{\"EventID\": 1, \"Channel\": \"Micro");
}

inline QByteArray line4()
{
    return QByteArray("{\"Channel\": \"Security\", \"Hostname\": \"H1\"}");
}

inline QByteArray line5()
{
    return QByteArray(
        "{\"EventID\": 11, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"BIG\", \"UtcTime\": \"2024-01-01 10:00:00.000\", \"ProcessGuid\": \"{b}\", \"TargetFilename\": \"C:\\\\f%1.txt\"}");
}

inline QByteArray line6()
{
    return QByteArray(
        "{\"EventID\": \"4688\", \"Channel\": \"security\", \"Hostname\": \"WS1.corp.example\", \"TimeCreated\": \"2021-04-21 09:40:32.366276\", \"NewProcessId\": \"0x0000000000000c24\", \"NewProcessName\": \"C:\\\\Windows\\\\PSEXESVC.exe\", \"ProcessId\": \"0x238\", \"ParentProcessName\": \"C:\\\\Windows\\\\System32\\\\services.exe\", \"CommandLine\": \"cmd /c echo %%COMSPEC%%\", \"TokenElevationType\": \"%%1936\", \"SubjectUserName\": \"WS1$\", \"SubjectDomainName\": \"CORP\", \"TargetUserName\": \"-\"}");
}

inline QByteArray line7()
{
    return QByteArray(
        "{\"EventID\": 13, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\", \"Hostname\": \"WS1\", \"UtcTime\": \"2021-04-21 09:40:33.000\", \"EventType\": \"SetValue\", \"ProcessGuid\": \"{x}\", \"TargetObject\": \"HKLM\\\\System\\\\CurrentControlSet\\\\Services\\\\hello\\\\ImagePath\", \"Details\": \"%%COMSPEC%% /b /c start\"}");
}

inline QByteArray line8()
{
    return QByteArray(
        "{\"EventID\": 5145, \"Channel\": \"Security\", \"Hostname\": \"WS1\", \"TimeCreated\": \"2021-04-21 09:40:31.000\", \"ShareName\": \"\\\\\\\\*\\\\ADMIN$\", \"RelativeTargetName\": \"PSEXESVC.exe\", \"IpAddress\": \"10.1.1.1\", \"SubjectUserName\": \"adm\", \"SubjectDomainName\": \"CORP\", \"AccessList\": \"%%1538\\n\\t\\t\\t\\t%%4417\\n\\t\\t\\t\\t%%9999\"}");
}

inline QByteArray line9()
{
    return QByteArray("{\"EventID\": 1, \"Channel\": \"Security\"}");
}

inline QByteArray line10()
{
    return QByteArray("{\"reply\": {\"incident\": {}}}");
}

inline QByteArray line11()
{
    return QByteArray("{\"Computer\": \"a\", \"EventID\": 4688}");
}

} // namespace causa::test::lines
