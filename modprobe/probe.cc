// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/probe.h"

#include <cerrno>

#include "modprobe/commands.h"
#include "common/kernel_ops.h"

namespace mng {

std::string join_options(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + " " + b;
}

namespace {

void get_list(Resolver& r, ModNode* mod, bool required, bool ignorecmd, std::vector<ModNode*>* list, int depth);

// kmod's __kmod_module_fill_softdep.
void fill_softdep(Resolver& r, ModNode* mod, std::vector<ModNode*>* list, int depth) {
  std::vector<ModNode*> pre, post;
  r.softdeps(mod, &pre, &post);
  for (ModNode* m : pre) get_list(r, m, false, false, list, depth + 1);
  list->push_back(mod);
  mod->ignorecmd = !pre.empty() || !post.empty();
  for (ModNode* m : post) get_list(r, m, false, false, list, depth + 1);
}

// kmod's __kmod_module_get_probe_list.
void get_list(Resolver& r, ModNode* mod, bool required, bool ignorecmd, std::vector<ModNode*>* list, int depth) {
  if (mod->visited || depth > 1000) return;
  mod->visited = true;
  std::vector<ModNode*> deps = r.dependencies(mod);
  if (required) {
    // Before any softdep can reach them.
    mod->required = true;
    for (ModNode* d : deps) d->required = true;
  }
  for (ModNode* d : deps) fill_softdep(r, d, list, depth);
  if (ignorecmd) {
    list->push_back(mod);
    mod->ignorecmd = true;
  } else {
    fill_softdep(r, mod, list, depth);
  }
}

void print_action(const Actions& a, Resolver& r, ModNode* m, const ConfCommand* cmd, const std::string& options) {
  if (!a.out) return;
  if (cmd) {
    a.install(cmd->command, options);
    return;
  }
  std::string path = r.path(m);
  if (path.empty()) {
    // Either built in or known only by name: kmod prints only the former.
    if (r.state(m) == ModState::builtin) a.builtin(m->name);
  } else {
    a.insmod(path, options);
  }
}

int run_install(Context& ctx, ModNode* m, const ConfCommand* cmd, const std::string& options) {
  std::map<std::string, std::string> env = {{"MODPROBE_MODULE", m->name}};
  std::string text = substitute_cmdline_opts(cmd->command, options, &env);
  std::string why;
  int st = run_shell_command(ctx, text, env, &why);
  if (st < 0) {
    ctx.message(Msg::error, "Could not run install command '" + cmd->command + "' for module " + m->name + ": " + why);
    return -EINVAL;
  }
  if (st != 0) {
    ctx.message(Msg::error, "Error running install command '" + cmd->command + "' for module " + m->name +
                                ": retcode " + std::to_string(st));
    return -EINVAL;
  }
  return 0;
}

}  // namespace

std::vector<ModNode*> probe_list(Resolver& r, ModNode* mod, bool ignore_commands) {
  std::vector<ModNode*> list;
  get_list(r, mod, true, ignore_commands, &list, 0);
  return list;
}

ProbeOutcome probe_insert(Context& ctx, Resolver& r, const KmodFlags& f, ModNode* mod,
                          const std::string* extra_options) {
  ProbeOutcome out;
  if (!f.ignore_loaded && r.in_kernel(mod)) {
    out.err = f.first_time ? -EEXIST : 0;
    if (out.err) out.failed = mod;
    return out;
  }
  if ((f.use_blacklist || !mod->alias.empty()) && r.blacklisted(mod)) {
    out.blacklisted = true;
    return out;
  }

  r.reset_marks();
  std::vector<ModNode*> list = probe_list(r, mod, f.ignore_commands);
  ModuleOps ops(*ctx.kernel, f.kernel, f.actions);
  std::vector<std::string> inserted;
  int err = 0;
  for (ModNode* m : list) {
    err = 0;
    if (!f.ignore_loaded && r.in_kernel(m)) {
      err = -EEXIST;
    } else {
      // kmod joins configured and command-line options with a space even
      // when the latter are absent: "x=1 " (its -D output shows it).
      std::string options = r.options(m);
      std::string extra = m == mod && extra_options ? *extra_options : std::string();
      options = options.empty() ? extra : options + " " + extra;
      const ConfCommand* cmd = r.install_command(m);
      if (cmd && !m->ignorecmd) {
        print_action(f.actions, r, m, cmd, options);
        if (!f.dry_run) err = run_install(ctx, m, cmd, options);
      } else {
        print_action(f.actions, r, m, nullptr, options);
        std::string path = r.path(m);
        if (path.empty()) {
          // Nothing to insert: an error unless nothing is inserted anyway.
          if (!f.dry_run) {
            ctx.message(Msg::error, "could not find module by name='" + m->name + "'");
            err = -ENOENT;
          }
        } else {
          err = ops.insert(path, options, &out.detail);
          if (err == 0) inserted.push_back(m->name);
        }
      }
    }
    if (err == -EEXIST && m == mod && f.first_time) {
      out.failed = m;
      break;
    }
    if (err == -EEXIST || !m->required) {
      err = 0;
    } else if (err < 0) {
      out.failed = m;
      break;
    }
  }
  out.err = err;
  // Take back what this run put in for the list, newest first.
  if (err < 0 && err != -EEXIST) ops.roll_back(inserted);
  return out;
}

}  // namespace mng
