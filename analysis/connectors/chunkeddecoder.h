#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace causa {

// Decodes an HTTP/1.1 chunked body as its bytes arrive, each byte looked at once (the old
// decoder re-parsed the whole buffer on every read). Chunk sizes are checked against the body
// limit before any arithmetic, so a hostile size (ffffffffffffffff) is an error, not an overflow.
class ChunkedDecoder final
{
public:
    enum class State
    {
        NeedMore,
        Done,
        Failed
    };

    explicit ChunkedDecoder(qsizetype maxBody) : m_maxBody(maxBody) {}

    // Feeds the next bytes; returns the state after them. Bytes after the last chunk are ignored.
    State feed(QByteArrayView bytes);
    State state() const { return m_state; }
    const QByteArray &body() const { return m_body; }
    QString error() const { return m_error; }

private:
    enum class Step
    {
        SizeLine,
        Data,
        DataEnd
    };
    bool fail(const QString &why);
    bool sizeLineDone();

    qsizetype m_maxBody;
    State m_state = State::NeedMore;
    Step m_step = Step::SizeLine;
    QByteArray m_line;    // the chunk-size line read so far (bounded)
    qsizetype m_left = 0; // bytes of the current chunk still to come
    int m_endSeen = 0;    // CR LF after a chunk's data
    QByteArray m_body;
    QString m_error;
};

} // namespace causa
