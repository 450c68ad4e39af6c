// libFuzzer target for the command-line decoder and analyzer (SPEC §13). Input bytes are read
// as UTF-8 and, when even-sized, also as raw UTF-16 (so lone surrogates and NULs reach the
// scanners). Build: cmake -DCAUSA_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; run:
//   build/fuzz/tests/fuzz/fuzz_cmdline -max_total_time=60 -max_len=65536 tests/fuzz/corpus
#include "cmdline/commandlineanalyzer.h"

#include <QString>

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const causa::CommandLineAnalyzer analyzer;
    const QString utf8 = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const causa::AnalysisResult a = analyzer.analyze(utf8);
    (void)causa::toJson(a).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    if (size % 2 == 0 && size > 0) {
        const QString utf16 =
            QString::fromUtf16(reinterpret_cast<const char16_t *>(data), qsizetype(size / 2));
        const causa::AnalysisResult b = analyzer.analyze(utf16);
        (void)causa::toJson(b).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    }
    return 0;
}
