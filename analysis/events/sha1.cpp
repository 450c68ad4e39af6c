#include "sha1.h"

#include <QCryptographicHash>

#include <openssl/evp.h>

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

QByteArray Sha1::hash(const char *data, qsizetype size)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (d->md && d->ctx && EVP_DigestInit_ex(d->ctx, d->md, nullptr) == 1
        && EVP_DigestUpdate(d->ctx, data, size_t(size)) == 1 && EVP_DigestFinal_ex(d->ctx, out, &len) == 1
        && len == 20)
        return QByteArray(reinterpret_cast<const char *>(out), 20);
    // OpenSSL without SHA-1 (a FIPS-only configuration): Qt's own gives the same digest.
    return QCryptographicHash::hash(QByteArrayView(data, size), QCryptographicHash::Sha1);
}

} // namespace causa::events
