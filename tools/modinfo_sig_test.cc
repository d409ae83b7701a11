// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_sig.h"

#include <catch2/catch.hpp>

#ifdef MNG_HAVE_OPENSSL
#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#endif

using namespace mng;

namespace {

const std::string kMagic = "~Module signature appended~\n";

struct Info {
  uint8_t algo = 1, hash = 4, id_type = 1;
};

// BODY, then signer, key and signature with the 12-byte block and the magic.
std::vector<uint8_t> signed_image(const std::string& signer, const std::string& key, const std::string& sig,
                                  Info in = {}, uint32_t sig_len_field = UINT32_MAX) {
  uint32_t n = sig_len_field == UINT32_MAX ? static_cast<uint32_t>(sig.size()) : sig_len_field;
  std::string s = "\x7f" "ELF module body" + signer + key + sig;
  s += static_cast<char>(in.algo);
  s += static_cast<char>(in.hash);
  s += static_cast<char>(in.id_type);
  s += static_cast<char>(signer.size());
  s += static_cast<char>(key.size());
  s += std::string(3, '\0');
  for (int shift : {24, 16, 8, 0}) s += static_cast<char>((n >> shift) & 0xff);
  s += kMagic;
  return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("signature trailer: signer, key and signature of the old formats", "[modinfo]") {
  ModuleSignature sig;
  REQUIRE(module_signature(signed_image("Me", "\x01\x02", "\xaa\xbb\xcc"), &sig));
  CHECK(sig.id_type == "X509");
  CHECK(sig.signer == "Me");
  CHECK(sig.key_id == "\x01\x02");
  CHECK(sig.signature == "\xaa\xbb\xcc");
  CHECK(sig.hash_algo == "sha256");
  Info pgp{0, 2, 0};
  REQUIRE(module_signature(signed_image("", "", "s", pgp), &sig));
  CHECK((sig.id_type == "PGP" && sig.hash_algo == "sha1" && sig.signer.empty()));
}

TEST_CASE("signature trailer: what is not shown", "[modinfo]") {
  ModuleSignature sig;
  std::vector<uint8_t> plain = {'\x7f', 'E', 'L', 'F', 0, 0};
  CHECK_FALSE(module_signature(plain, &sig));
  CHECK_FALSE(module_signature(signed_image("a", "b", "c", Info{2, 4, 1}), &sig));  // unknown algorithm
  CHECK_FALSE(module_signature(signed_image("a", "b", "c", Info{1, 9, 1}), &sig));  // unknown hash
  CHECK_FALSE(module_signature(signed_image("a", "b", "c", Info{1, 4, 3}), &sig));  // unknown id type
  CHECK_FALSE(module_signature(signed_image("a", "b", "c", {}, 0), &sig));         // empty signature
  CHECK_FALSE(module_signature(signed_image("a", "b", "c", {}, 1000), &sig));      // longer than the file
  std::vector<uint8_t> only(kMagic.begin(), kMagic.end());
  CHECK_FALSE(module_signature(only, &sig));  // no room for the block
}

TEST_CASE("signature trailer: PKCS#7 without reading the message", "[modinfo]") {
  ModuleSignature sig;
  REQUIRE(module_signature(signed_image("", "", "not DER", Info{0, 0, 2}), &sig, false));
  CHECK(sig.id_type == "PKCS#7");
  CHECK(sig.hash_algo == "unknown");
  CHECK((sig.signer.empty() && sig.key_id.empty() && sig.signature.empty()));
  if (signature_parsing_available()) CHECK_FALSE(module_signature(signed_image("", "", "not DER", Info{0, 0, 2}), &sig));
}

#ifdef MNG_HAVE_OPENSSL
namespace {

// A detached PKCS#7 signature of DATA, as the kernel's sign-file makes it,
// by a certificate with serial 0x12AB34 and the subject name entries ENTRIES.
std::string pkcs7_signature(const std::string& data, std::vector<std::pair<const char*, const char*>> entries,
                            int* sig_size) {
  EVP_PKEY* key = EVP_RSA_gen(1024);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x12AB34);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  for (auto [field, value] : entries)
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* in = BIO_new_mem_buf(data.data(), static_cast<int>(data.size()));
  PKCS7* p7 = PKCS7_sign(cert, key, nullptr, in, PKCS7_BINARY | PKCS7_DETACHED | PKCS7_NOATTR | PKCS7_NOCERTS);
  unsigned char* der = nullptr;
  int len = p7 ? i2d_PKCS7(p7, &der) : 0;
  std::string out(reinterpret_cast<char*>(der), len > 0 ? len : 0);
  *sig_size = EVP_PKEY_get_size(key);
  OPENSSL_free(der);
  PKCS7_free(p7);
  BIO_free(in);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace

TEST_CASE("signature trailer: PKCS#7 read with libcrypto", "[modinfo]") {
  int size = 0;
  std::string der = pkcs7_signature("module", {{"O", "Org"}, {"CN", "Test signer"}, {"OU", "Unit"}}, &size);
  REQUIRE(!der.empty());
  ModuleSignature sig;
  REQUIRE(module_signature(signed_image("", "", der, Info{0, 0, 2}), &sig));
  CHECK(sig.id_type == "PKCS#7");
  CHECK(sig.signer == "Test signer");
  CHECK(sig.key_id == "\x12\xab\x34");
  CHECK(sig.hash_algo == "sha256");
  CHECK(sig.signature.size() == static_cast<size_t>(size));
  // With no common name kmod takes the last entry of the issuer's name.
  der = pkcs7_signature("module", {{"O", "Org"}, {"OU", "Unit"}}, &size);
  REQUIRE(module_signature(signed_image("", "", der, Info{0, 0, 2}), &sig));
  CHECK(sig.signer == "Unit");
}
#endif
