// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_sig.h"

#include <cstring>
#include <string_view>

#ifdef MNG_HAVE_OPENSSL
#include <dlfcn.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#endif

namespace mng {
namespace {

constexpr std::string_view kMagic = "~Module signature appended~\n";
constexpr size_t kInfoSize = 12;  // the block before the magic text

// The kernel's numbering of hash algorithms and key identifier types.
const char* const kHashNames[] = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"};
const char* const kIdTypes[] = {"PGP", "X509", "PKCS#7"};
constexpr unsigned kAlgoCount = 2;  // DSA, RSA
constexpr unsigned kPkcs7 = 2;

struct Trailer {
  unsigned algo, hash, id_type, signer_len, key_len;
  size_t sig_len;
  size_t end;  // where the signature data ends (the info block starts)
};

bool read_trailer(std::span<const uint8_t> image, Trailer* t) {
  if (image.size() < kMagic.size()) return false;
  size_t size = image.size() - kMagic.size();
  if (std::memcmp(image.data() + size, kMagic.data(), kMagic.size()) != 0) return false;
  if (size < kInfoSize) return false;
  size -= kInfoSize;
  const uint8_t* b = image.data() + size;
  *t = {b[0], b[1], b[2], b[3], b[4], 0, size};
  t->sig_len = (size_t{b[8]} << 24) | (size_t{b[9]} << 16) | (size_t{b[10]} << 8) | b[11];
  if (t->algo >= kAlgoCount || t->hash >= std::size(kHashNames) || t->id_type >= std::size(kIdTypes)) return false;
  return t->sig_len != 0 && size >= t->sig_len + t->signer_len + t->key_len;
}

std::string bytes_at(std::span<const uint8_t> image, size_t off, size_t len) {
  return std::string(reinterpret_cast<const char*>(image.data()) + off, len);
}

#ifdef MNG_HAVE_OPENSSL

// libcrypto is opened when modinfo first reads a PKCS#7 signature, not
// linked: loading it costs every run of every tool about 1.4 MiB of
// resident memory for its relocations (depmod's peak on Debian's amd64
// tree: 25.3 MiB linked, 23.2 MiB without).  The calls keep the types of
// OpenSSL's own declarations.
#define MNG_CRYPTO_CALLS(X)                                                                                      \
  X(X509_NAME_entry_count) X(X509_NAME_get_entry) X(X509_NAME_ENTRY_get_object) X(X509_NAME_ENTRY_get_data)      \
  X(OBJ_obj2nid) X(ASN1_STRING_get0_data) X(ASN1_STRING_length) X(ASN1_INTEGER_to_BN) X(BN_num_bits) X(BN_bn2bin) \
  X(BN_free) X(OPENSSL_sk_value) X(PKCS7_get_signer_info) X(PKCS7_SIGNER_INFO_get0_algs) X(X509_ALGOR_get0)      \
  X(d2i_PKCS7) X(PKCS7_free)
struct Crypto {
#define MNG_CRYPTO_FIELD(name) decltype(&::name) name = nullptr;
  MNG_CRYPTO_CALLS(MNG_CRYPTO_FIELD)
#undef MNG_CRYPTO_FIELD
};
#define MNG_STR2(x) #x
#define MNG_STR(x) MNG_STR2(x)

// Null when the library or one of its calls cannot be had.
const Crypto* crypto() {
  static const Crypto* const loaded = [] () -> const Crypto* {
    void* h = dlopen("libcrypto.so." MNG_STR(OPENSSL_VERSION_MAJOR), RTLD_NOW | RTLD_LOCAL);
    if (!h) return nullptr;
    static Crypto c;
    bool all = true;
#define MNG_CRYPTO_LOAD(name) \
    all = all && (c.name = reinterpret_cast<decltype(c.name)>(dlsym(h, #name))) != nullptr;
    MNG_CRYPTO_CALLS(MNG_CRYPTO_LOAD)
#undef MNG_CRYPTO_LOAD
    return all ? &c : nullptr;
  }();
  return loaded;
}

// kmod's choice of name: the first commonName entry; with none, the last
// entry whatever it is; no entries, no name.
std::string issuer_name(const Crypto& c, X509_NAME* name) {
  X509_NAME_ENTRY* e = nullptr;
  int n = c.X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    e = c.X509_NAME_get_entry(name, i);
    if (c.OBJ_obj2nid(c.X509_NAME_ENTRY_get_object(e)) == NID_commonName) break;
  }
  if (!e) return "";
  const unsigned char* s = c.ASN1_STRING_get0_data(c.X509_NAME_ENTRY_get_data(e));
  return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
}

const char* hash_name(const Crypto& c, const ASN1_OBJECT* o) {
  switch (c.OBJ_obj2nid(o)) {
    case NID_md4: return "md4";
    case NID_md5: return "md5";
    case NID_sha1: return "sha1";
    case NID_ripemd160: return "rmd160";
    case NID_sha256: return "sha256";
    case NID_sha384: return "sha384";
    case NID_sha512: return "sha512";
    case NID_sha224: return "sha224";
#ifndef OPENSSL_NO_SM3
    case NID_sm3: return "sm3";
#endif
    default: return nullptr;
  }
}

bool read_signer_info(const Crypto& c, PKCS7* p7, ModuleSignature* out) {
  STACK_OF(PKCS7_SIGNER_INFO)* sis = c.PKCS7_get_signer_info(p7);
  auto* stack = reinterpret_cast<const OPENSSL_STACK*>(sis);
  auto* si = sis ? static_cast<PKCS7_SIGNER_INFO*>(c.OPENSSL_sk_value(stack, 0)) : nullptr;
  if (!si || !si->issuer_and_serial || !si->enc_digest) return false;
  X509_ALGOR* dig_alg = nullptr;
  c.PKCS7_SIGNER_INFO_get0_algs(si, nullptr, &dig_alg, nullptr);
  out->signature = std::string(reinterpret_cast<const char*>(c.ASN1_STRING_get0_data(si->enc_digest)),
                               c.ASN1_STRING_length(si->enc_digest));
  BIGNUM* serial = c.ASN1_INTEGER_to_BN(si->issuer_and_serial->serial, nullptr);
  if (!serial) return false;
  std::string key((c.BN_num_bits(serial) + 7) / 8, '\0');
  c.BN_bn2bin(serial, reinterpret_cast<unsigned char*>(key.data()));
  c.BN_free(serial);
  out->key_id = std::move(key);
  out->signer = issuer_name(c, si->issuer_and_serial->issuer);
  const ASN1_OBJECT* o = nullptr;
  if (dig_alg) c.X509_ALGOR_get0(&o, nullptr, nullptr, dig_alg);
  const char* h = o ? hash_name(c, o) : nullptr;
  if (!h) return false;
  out->hash_algo = h;
  return true;
}

bool read_pkcs7(const Crypto& c, std::span<const uint8_t> image, const Trailer& t, ModuleSignature* out) {
  const unsigned char* p = image.data() + (t.end - t.sig_len);
  PKCS7* p7 = c.d2i_PKCS7(nullptr, &p, static_cast<long>(t.sig_len));
  if (!p7) return false;
  bool ok = read_signer_info(c, p7, out);
  c.PKCS7_free(p7);
  return ok;
}

#endif

}  // namespace

bool signature_parsing_available() {
#ifdef MNG_HAVE_OPENSSL
  return crypto() != nullptr;
#else
  return false;
#endif
}

bool module_signature(std::span<const uint8_t> image, ModuleSignature* out, [[maybe_unused]] bool read_pkcs7_fields) {
  Trailer t;
  if (!read_trailer(image, &t)) return false;
  *out = ModuleSignature{};
  out->id_type = kIdTypes[t.id_type];
  if (t.id_type == kPkcs7) {
#ifdef MNG_HAVE_OPENSSL
    if (const Crypto* c = read_pkcs7_fields ? crypto() : nullptr) return read_pkcs7(*c, image, t, out);
#endif
    out->hash_algo = "unknown";  // the message is not read: nothing else is known
    return true;
  }
  size_t sig_at = t.end - t.sig_len, key_at = sig_at - t.key_len, signer_at = key_at - t.signer_len;
  out->signature = bytes_at(image, sig_at, t.sig_len);
  out->key_id = bytes_at(image, key_at, t.key_len);
  out->signer = bytes_at(image, signer_at, t.signer_len);
  out->hash_algo = kHashNames[t.hash];
  return true;
}

}  // namespace mng
