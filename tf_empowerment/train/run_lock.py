"""An exclusive lock on a run's root_dir, so two training runs never write into one run.

The lock is an flock on root_dir/.lock: the kernel releases it when the holding process ends,
however it ends, so a killed run leaves no stale lock. The file keeps the holder's pid for
the message of whoever finds the run taken.
"""
import contextlib
import fcntl
import os


class RunInUseError(OSError):
  """Another live process holds the run's lock."""


@contextlib.contextmanager
def hold(root_dir):
  """Holds the lock on `root_dir` (creating the directory) for the body of the `with`.

  Raises RunInUseError at once if another process holds it.
  """
  os.makedirs(root_dir, exist_ok=True)
  fd = os.open(os.path.join(root_dir, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
  try:
    try:
      fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
      holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
      raise RunInUseError(f"{root_dir} is in use by another training run (pid {holder})") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    yield
  finally:
    os.close(fd)
