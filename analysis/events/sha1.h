#pragma once

#include <QByteArray>

#include <array>
#include <memory>

namespace causa::events {

// SHA-1 through OpenSSL's EVP interface with the digest fetched once: an event's identity is
// the SHA-1 of its bytes, and Qt's portable SHA-1 was half of the mapping cost of an event
// (OpenSSL uses the CPU's SHA instructions where there are some).
class Sha1 final
{
public:
    Sha1();
    ~Sha1();
    Sha1(const Sha1 &) = delete;
    Sha1 &operator=(const Sha1 &) = delete;

    // The 20-byte digest of data.
    std::array<unsigned char, 20> digest(const char *data, qsizetype size);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace causa::events
