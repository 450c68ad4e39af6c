// libFuzzer target for the HTTP/1.1 chunked-body decoder of the small HTTP client (issue 18).
// The first byte picks how the rest is split into reads, so that every parser state is entered
// at a read boundary; the decoder must agree with a one-shot feed and never exceed its limit.
#include "connectors/chunkeddecoder.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype step = 1 + data[0] % 17;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    constexpr qsizetype kLimit = 1 << 16;
    causa::ChunkedDecoder whole(kLimit);
    whole.feed(bytes);
    causa::ChunkedDecoder pieces(kLimit);
    for (qsizetype i = 0; i < bytes.size(); i += step)
        pieces.feed(bytes.sliced(i, std::min(step, bytes.size() - i)));
    if (whole.state() != pieces.state() || whole.body() != pieces.body() ||
        whole.body().size() > kLimit)
        std::abort();
    return 0;
}
