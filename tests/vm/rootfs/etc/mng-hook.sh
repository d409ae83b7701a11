#!/bin/sh
# Run by the pre-/post-install lines of /etc/modules.conf: appends
# "<hook> <module> mod_a=<0|1> mod_b=<0|1>" to /tmp/mng-hooks, recording
# which of the two modules were loaded when the hook ran.
l() { grep -q "^$1 " /proc/modules && echo 1 || echo 0; }
echo "$1 $2 mod_a=$(l mod_a) mod_b=$(l mod_b)" >>/tmp/mng-hooks
