// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/remove.h"

#include <cerrno>
#include <cstring>

#include "modprobe/commands.h"
#include "common/kernel_ops.h"

namespace mng {

namespace {

struct Remover {
  Context& ctx;
  Resolver& r;
  const KmodFlags& f;
  ModuleOps ops;

  Remover(Context& c, Resolver& res, const KmodFlags& flags)
      : ctx(c), r(res), f(flags), ops(*c.kernel, flags.kernel, flags.actions) {}

  // kmod's rmmod_do_remove_module: the action line, then delete_module,
  // a busy module retried for up to -w milliseconds.
  int remove_one(ModNode* m, bool report) {
    int err = ops.remove(m->name);
    if (err < 0 && report) ctx.message(Msg::error, "could not remove '" + m->name + "': " + std::strerror(-err));
    return err;
  }

  int run_remove(ModNode* m, const ConfCommand* cmd) {
    f.actions.remove(cmd->command);
    if (f.dry_run) return 0;
    std::string why;
    int st = run_shell_command(ctx, cmd->command, {{"MODPROBE_MODULE", m->name}}, &why);
    if (st != 0) {
      ctx.message(Msg::error, "Error running remove command for " + m->name);
      return st < 0 ? -EINVAL : -st;
    }
    return 0;
  }

  // Whether MOD is to be left alone before anything is done: *err is then
  // the result (not loaded, built in).
  bool skip_by_state(ModNode* mod, bool top, int* err) {
    ModState s = r.state(mod);
    if (s == ModState::absent) {
      if (f.first_time && top) {
        ctx.message(Msg::fatal, "Module " + mod->name + " is not in kernel.");
        *err = -ENOENT;
      }
      return true;
    }
    if (s == ModState::builtin) {
      if (f.remove_holders || !top) return true;
      ctx.message(Msg::fatal, "Module " + mod->name + " is builtin.");
      *err = -ENOENT;
      return true;
    }
    return false;
  }

  int do_module(ModNode* mod, bool top, int depth) {
    if (depth > 64) return -ELOOP;
    std::vector<ModNode*> pre, post;
    const ConfCommand* cmd = nullptr;
    if (!f.ignore_commands) {
      r.softdeps(mod, &pre, &post);
      cmd = r.remove_command(mod);
    }

    int early = 0;
    if (!cmd && !f.ignore_loaded && skip_by_state(mod, top, &early)) return early;

    for (auto it = post.rbegin(); it != post.rend(); ++it) do_module(*it, false, depth + 1);

    if (!cmd && !f.ignore_loaded && f.kernel.wait_msec == 0) {
      if (f.remove_holders) {
        for (const auto& h : ctx.kernel->holders(mod->name)) {
          int e = do_module(r.get(h), true, depth + 1);
          if (e < 0) return e;
        }
        // Removing a holder may have freed and removed this module already.
        if (r.state(mod) == ModState::absent) return 0;
      }
      int usage = r.refcnt(mod);
      if (usage > 0) {
        if (top) ctx.message(Msg::fatal, "Module " + mod->name + " is in use.");
        return -EBUSY;
      }
    }

    int err = cmd ? run_remove(mod, cmd) : remove_one(mod, top);
    if (err < 0) return err;

    // Dependencies nothing uses at their turn, in load order (deepest
    // first, the reverse of the modules.dep line), as kmod 30 takes them:
    // one still held by a shallower one then stays loaded.
    for (ModNode* d : r.dependencies(mod)) {
      if (r.state(d) != ModState::live && !f.ignore_loaded) continue;
      if (r.refcnt(d) != 0) continue;
      remove_one(d, false);
    }

    for (auto it = pre.rbegin(); it != pre.rend(); ++it) do_module(*it, false, depth + 1);
    return 0;
  }
};

}  // namespace

int remove_module(Context& ctx, Resolver& r, const KmodFlags& f, ModNode* mod, bool top) {
  return Remover(ctx, r, f).do_module(mod, top, 0);
}

}  // namespace mng
