// SPDX-License-Identifier: GPL-2.0-or-later
// The release number of modutils-ng.  Its one source is the file VERSION
// at the top of the source tree; the Makefile passes it to the compiler as
// -DMNG_VERSION="...", so -V, the manual pages and the Debian package all
// say the same.
#pragma once

#ifndef MNG_VERSION
#error "MNG_VERSION is not defined: build with the Makefile, which reads it from the file VERSION"
#endif

// The second line of every tool's -V, in kmod's form: the decompressors
// common/module_file.cc links, libcrypto when modinfo reads PKCS#7
// signatures with it (tools/modinfo_sig.cc), no experimental features.
#ifdef MNG_HAVE_OPENSSL
#define MNG_FEATURES "+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL"
#else
#define MNG_FEATURES "+ZSTD +XZ +ZLIB -LIBCRYPTO -EXPERIMENTAL"
#endif
