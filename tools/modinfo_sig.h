// SPDX-License-Identifier: GPL-2.0-or-later
// The signature a module carries after its ELF image, as modinfo shows it.
//
// A signed module ends with: the signer's name, the key identifier, the
// signature data, a 12-byte block (algorithm, hash, identifier type, the
// signer and key lengths, three pad bytes, the signature length big
// endian) and the text "~Module signature appended~\n".  Kernels since 4.3
// write a PKCS#7 message (identifier type 2) with empty signer and key
// fields; the facts then come from the message itself, read with OpenSSL's
// libcrypto when the build has it (MNG_HAVE_OPENSSL).  Without it, as kmod
// built without OpenSSL, a PKCS#7 signature is reported with its type,
// hash algorithm "unknown" and empty signer, key and signature.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace mng {

struct ModuleSignature {
  std::string id_type;    // "PGP", "X509", "PKCS#7"
  std::string signer;     // the issuer's common name for PKCS#7
  std::string key_id;     // raw bytes (the certificate serial number for PKCS#7)
  std::string hash_algo;  // "sha256", ...
  std::string signature;  // raw bytes
};

// Whether the PKCS#7 fields can be read: the build has libcrypto and it
// could be loaded (it is opened on first use, not linked).
bool signature_parsing_available();

// False when IMAGE (a whole decompressed module) has no signature trailer,
// or one modinfo would not show (bad lengths, unknown algorithm, a PKCS#7
// message libcrypto cannot read).  READ_PKCS7 false shows a PKCS#7
// signature as a build without libcrypto does.
bool module_signature(std::span<const uint8_t> image, ModuleSignature* out,
                      bool read_pkcs7 = signature_parsing_available());

}  // namespace mng
