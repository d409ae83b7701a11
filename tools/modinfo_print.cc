// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_print.h"

#include <cstdio>

namespace mng {
namespace {

// A parameter gathered from "parm=NAME:TEXT" and "parmtype=NAME:TYPE".
struct Param {
  std::string name;
  std::string text, type;
  bool has_text = false, has_type = false;
};

// Adds FIELD (a parm or parmtype) to PARAMS, kept in order of first
// appearance.  False (with a message) when the value has no ':'.
bool gather_param(const ModinfoField& f, std::vector<Param>* params, const Logger& log) {
  size_t colon = f.value.find(':');
  if (colon == std::string::npos) {
    log.message(Level::error, "Found invalid \"" + f.key + "=" + f.value + "\": missing ':'");
    return false;
  }
  std::string name = f.value.substr(0, colon);
  Param* p = nullptr;
  for (Param& q : *params)
    if (q.name == name) p = &q;
  if (!p) {
    params->push_back({name, "", "", false, false});
    p = &params->back();
  }
  if (f.key == "parm") {
    p->text = f.value.substr(colon + 1);
    p->has_text = true;
  } else {
    p->type = f.value.substr(colon + 1);
    p->has_type = true;
  }
  return true;
}

std::vector<Param> gather_params(const std::vector<ModinfoField>& fields, const Logger& log) {
  std::vector<Param> params;
  for (const ModinfoField& f : fields)
    if (f.key == "parm" || f.key == "parmtype") gather_param(f, &params, log);
  return params;
}

// kmod keeps its list newest first, so parameters come out in reverse
// order of their first appearance.  LABEL is "parm:" padded, or "" for -p.
void print_params(const std::vector<Param>& params, const std::string& label, char sep, std::string* out) {
  for (auto it = params.rbegin(); it != params.rend(); ++it) {
    *out += label + it->name;
    if (!it->has_text)
      *out += (label.empty() ? ": (" : ":") + it->type + (label.empty() ? ")" : "");
    else if (it->has_type)
      *out += ":" + it->text + " (" + it->type + ")";
    else
      *out += ":" + it->text;
    *out += sep;
  }
}

std::string padded_key(const std::string& key) {
  std::string s = key + ":";
  if (s.size() < 16) s.resize(16, ' ');
  return s;
}

}  // namespace

std::string modinfo_hex(std::string_view bytes) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned char>(bytes[i]));
    s += buf;
    if (i + 1 < bytes.size()) {
      s += ':';
      if ((i + 1) % 20 == 0) s += "\n\t\t";
    }
  }
  return s;
}

void add_signature_fields(const ModuleSignature& sig, std::vector<ModinfoField>* fields) {
  fields->push_back({"sig_id", sig.id_type});
  fields->push_back({"signer", sig.signer});
  fields->push_back({"sig_key", modinfo_hex(sig.key_id)});
  fields->push_back({"sig_hashalgo", sig.hash_algo});
  fields->push_back({"signature", modinfo_hex(sig.signature)});
}

bool print_module_head(const ModinfoOptions& o, const std::string& name, const std::string& filename,
                       std::string* out) {
  const char sep = o.separator;
  std::string shown = filename;
  if (filename.empty()) {
    if (!o.field) *out += padded_key("name") + name + sep;
    else if (*o.field == "name") *out += name + sep;
    shown = "(builtin)";
  }
  if (o.field && *o.field == "filename") {
    *out += shown + sep;
    return true;
  }
  if (!o.field) *out += padded_key("filename") + shown + sep;
  return false;
}

void print_module_fields(const ModinfoOptions& o, const std::vector<ModinfoField>& fields, const Logger& log,
                         std::string* out) {
  const char sep = o.separator;
  if (o.field && *o.field == "parm") {
    print_params(gather_params(fields, log), "", sep, out);
    return;
  }
  if (o.field) {
    for (const ModinfoField& f : fields)
      if (f.key == *o.field) *out += f.value + sep;
    return;
  }
  for (const ModinfoField& f : fields) {
    if (f.key == "parm" || f.key == "parmtype") continue;
    if (sep == '\0') *out += f.key + "=" + f.value + sep;
    else *out += padded_key(f.key) + f.value + sep;
  }
  print_params(gather_params(fields, log), padded_key("parm"), sep, out);
}

}  // namespace mng
