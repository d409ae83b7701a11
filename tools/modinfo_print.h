// SPDX-License-Identifier: GPL-2.0-or-later
// modinfo's output, laid out as kmod's modinfo lays it out: "key:" padded
// to 16 columns, the parameters gathered from parm= and parmtype= after
// the other fields, "key=value" with -0, values alone with -F.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "tools/modinfo_options.h"
#include "tools/modinfo_sig.h"

namespace mng {

struct ModinfoField {
  std::string key;
  std::string value;
};

// "01:AB:..." with a line break and two tabs after every 20 bytes.
std::string modinfo_hex(std::string_view bytes);

// The fields a signature adds after the .modinfo strings.
void add_signature_fields(const ModuleSignature& sig, std::vector<ModinfoField>* fields);

// The lines before a module's fields: "name:" for a built-in module (no
// FILENAME), then "filename:".  Returns true when that is all there is to
// print (-F filename).
bool print_module_head(const ModinfoOptions& o, const std::string& name, const std::string& filename,
                       std::string* out);

// The fields themselves (after print_module_head returned false).
// Malformed parm= strings are reported through LOG.
void print_module_fields(const ModinfoOptions& o, const std::vector<ModinfoField>& fields, const Logger& log,
                         std::string* out);

}  // namespace mng
