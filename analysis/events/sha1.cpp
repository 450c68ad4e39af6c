#include "sha1.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

#include <algorithm>

namespace causa::events {

struct Sha1::Impl
{
    EVP_MD *md = nullptr;
    EVP_MD_CTX *ctx = nullptr;
};

Sha1::Sha1() : d(std::make_unique<Impl>())
{
    d->md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    d->ctx = EVP_MD_CTX_new();
}

Sha1::~Sha1()
{
    EVP_MD_CTX_free(d->ctx);
    EVP_MD_free(d->md);
}

std::array<unsigned char, 20> Sha1::digest(const char *data, qsizetype size)
{
    std::array<unsigned char, 20> result;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (d->md && d->ctx && EVP_DigestInit_ex(d->ctx, d->md, nullptr) == 1 &&
        EVP_DigestUpdate(d->ctx, data, size_t(size)) == 1 &&
        EVP_DigestFinal_ex(d->ctx, out, &len) == 1 && len == 20) {
        std::copy_n(out, 20, result.begin());
        return result;
    }
    // OpenSSL without SHA-1 (a FIPS-only configuration): Qt's own gives the same digest.
    const QByteArray qt =
        QCryptographicHash::hash(QByteArrayView(data, size), QCryptographicHash::Sha1);
    std::copy_n(reinterpret_cast<const unsigned char *>(qt.constData()), 20, result.begin());
    return result;
}

} // namespace causa::events
