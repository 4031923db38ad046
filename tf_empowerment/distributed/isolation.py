"""Keeping the replay server's unauthenticated port off the network.

Reverb 0.14 listens on every interface ([::]:port) and has no option to listen on loopback
alone. So a server is reachable from other machines unless the process has no other network
interface: `loopback_only` says whether that holds, and `isolate` makes it hold for a process
and the children it starts after, moving them into a new Linux network namespace (inside an
unprivileged user namespace) whose only interface is loopback.
"""
import ctypes
import fcntl
import os
import socket
import struct

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1
_IFF_LOOPBACK = 0x8
_IFF_RUNNING = 0x40


def loopback_only():
  """Whether loopback is this process's only network interface."""
  return [name for _, name in socket.if_nameindex()] == ["lo"]


def isolate():
  """Moves this process into a network namespace of its own with loopback up, its uid and gid
  unchanged; its children start there too. Call it before any thread starts. OSError if the
  kernel does not allow unprivileged user namespaces."""
  uid, gid = os.getuid(), os.getgid()
  libc = ctypes.CDLL(None, use_errno=True)
  if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
    errno = ctypes.get_errno()
    raise OSError(errno, f"cannot make a private network namespace: {os.strerror(errno)}")
  for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                     ("/proc/self/gid_map", f"{gid} {gid} 1")):
    with open(path, "w") as map_file:
      map_file.write(text)
  with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
    fcntl.ioctl(sock, _SIOCSIFFLAGS,
                struct.pack("16sH", b"lo", _IFF_UP | _IFF_LOOPBACK | _IFF_RUNNING))
