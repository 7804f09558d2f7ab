#!/bin/bash
# usage: scripts/measure-recorder.sh SOCKETDIR PORT [SECONDS]  (against `pgtop-bench --hold 2000`):
# a plain screen and a recording screen side by side, same server, same time
dir=$1; port=$2; secs=${3:-60}
bin=${PGTOP:-$(dirname "$0")/../.build/release/pgtop}
tmux -L measA kill-server 2>/dev/null; tmux -L measB kill-server 2>/dev/null
rm -f /tmp/meas.pgtop*
tmux -L measA new-session -d -x 200 -y 50 "$bin -h $dir -p $port -U postgres -d postgres --config /dev/null -r 1"
sleep 0.5; pa=$(pgrep -n -x pgtop)
tmux -L measB new-session -d -x 200 -y 50 "$bin -h $dir -p $port -U postgres -d postgres --config /dev/null -r 1 --record=/tmp/meas.pgtop"
sleep 0.5; pb=$(pgrep -n -x pgtop)
sleep 5
a0=$(awk '{print $1}' /proc/$pa/schedstat); b0=$(awk '{print $1}' /proc/$pb/schedstat)
sleep $secs
a1=$(awk '{print $1}' /proc/$pa/schedstat); b1=$(awk '{print $1}' /proc/$pb/schedstat)
echo "plain $(( (a1-a0)/secs/1000 )) us/s, record $(( (b1-b0)/secs/1000 )) us/s, added $(( ((b1-b0)-(a1-a0))/secs/1000 )) us/s"
tmux -L measA kill-server; tmux -L measB kill-server
