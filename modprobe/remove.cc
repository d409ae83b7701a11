#include "modprobe/remove.h"

#include <fcntl.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "modprobe/commands.h"

namespace mng {

namespace {

// kmod's rmmod_do_remove_module: prints the action, then delete_module,
// retrying a busy module for up to -w milliseconds.
int remove_one(Context& ctx, ModNode* m, bool report) {
  if (ctx.show_actions() && ctx.out) *ctx.out << "rmmod " << m->name << "\n";
  if (ctx.opts.dry_run || ctx.opts.show_depends) return 0;
  unsigned flags = O_NONBLOCK;
  if (ctx.opts.force_vermagic || ctx.opts.force_modversion) flags |= O_TRUNC;
  unsigned waited = 0, step = 1;
  int err;
  for (;;) {
    err = ctx.kernel->delete_module(m->name, flags);
    if (err != -EAGAIN || waited >= ctx.opts.wait_msec) break;
    struct timespec ts{static_cast<time_t>(step / 1000), static_cast<long>(step % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
    waited += step;
    step = std::min(step * 2, ctx.opts.wait_msec - waited + 1);
  }
  if (err < 0 && report)
    ctx.message(Msg::error, "could not remove '" + m->name + "': " + std::strerror(-err));
  return err;
}

int run_remove(Context& ctx, ModNode* m, const ConfCommand* cmd) {
  if (ctx.show_actions() && ctx.out) *ctx.out << "remove " << cmd->command << "\n";
  if (ctx.opts.dry_run || ctx.opts.show_depends) return 0;
  std::string why;
  int st = run_shell_command(ctx, cmd->command, {{"MODPROBE_MODULE", m->name}}, &why);
  if (st != 0) {
    ctx.message(Msg::error, "Error running remove command for " + m->name);
    return st < 0 ? -EINVAL : -st;
  }
  return 0;
}

int do_module(Context& ctx, Resolver& r, ModNode* mod, bool top, int depth) {
  if (depth > 64) return -ELOOP;
  const bool ignore_loaded = ctx.opts.show_depends;
  std::vector<ModNode*> pre, post;
  const ConfCommand* cmd = nullptr;
  if (!ctx.opts.ignore_commands) {
    r.softdeps(mod, &pre, &post);
    cmd = r.remove_command(mod);
  }

  if (!cmd && !ignore_loaded) {
    ModState s = r.state(mod);
    if (s == ModState::absent) {
      if (ctx.opts.first_time && top) {
        ctx.message(Msg::fatal, "Module " + mod->name + " is not in kernel.");
        return -ENOENT;
      }
      return 0;
    }
    if (s == ModState::builtin) {
      if (ctx.opts.remove_holders || !top) return 0;
      ctx.message(Msg::fatal, "Module " + mod->name + " is builtin.");
      return -ENOENT;
    }
  }

  for (auto it = post.rbegin(); it != post.rend(); ++it) do_module(ctx, r, *it, false, depth + 1);

  if (!cmd && !ignore_loaded && ctx.opts.wait_msec == 0) {
    if (ctx.opts.remove_holders) {
      for (const auto& h : ctx.kernel->holders(mod->name)) {
        int e = do_module(ctx, r, r.get(h), true, depth + 1);
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

  int err = cmd ? run_remove(ctx, mod, cmd) : remove_one(ctx, mod, top);
  if (err < 0) return err;

  // Dependencies nothing uses any more, shallowest first.
  std::vector<ModNode*> deps = r.dependencies(mod);
  for (auto it = deps.rbegin(); it != deps.rend(); ++it) {
    ModNode* d = *it;
    if (r.state(d) != ModState::live && !ignore_loaded) continue;
    if (r.refcnt(d) != 0) continue;
    remove_one(ctx, d, false);
  }

  for (auto it = pre.rbegin(); it != pre.rend(); ++it) do_module(ctx, r, *it, false, depth + 1);
  return 0;
}

}  // namespace

int remove_module(Context& ctx, Resolver& r, ModNode* mod, bool top) { return do_module(ctx, r, mod, top, 0); }

}  // namespace mng
