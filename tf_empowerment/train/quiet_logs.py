"""Silences the libraries' routine chatter so a run's log shows our lines and real warnings.

Entry scripts call `silence_library_noise()` before anything imports TensorFlow or TF-Agents.
Each silenced message is named below; anything else, from our code or the libraries, still
shows.
"""
import logging
import os
import sys
import tempfile
import warnings

from absl import logging as absl_logging

# C++ lines TensorFlow 2.15 prints on every import: CUDA plugins registered twice by the pip
# wheel (tensorflow/tensorflow#62075) and TensorRT, which this project never uses.
_IMPORT_NOISE = ("Unable to register cuDNN factory", "Unable to register cuFFT factory",
                 "Unable to register cuBLAS factory", "TF-TRT Warning: Could not find TensorRT")

# Log templates SavedModel writes on every PolicySaver.save: the policy's signature input
# names, Keras call functions left untraced, the assets and fingerprint files.
_SAVE_NOISE = ("Function `%s` contains input name(s)",
               "`%s` is not a valid tf.function parameter name",
               "Found untraced functions such as", "Assets written to", "Writing fingerprint to")


class _SaveNoiseFilter(logging.Filter):
  """Drops TensorFlow's own records with a template in `_SAVE_NOISE`."""

  def filter(self, record):
    from_tensorflow = f"{os.sep}tensorflow{os.sep}" in record.pathname
    return not (from_tensorflow and str(record.msg).startswith(_SAVE_NOISE))


def silence_library_noise():
  """Quiets TensorFlow, TF-Agents and gym; imports TensorFlow. Call before importing them.

  TensorFlow's C++ INFO lines are off unless TF_CPP_MIN_LOG_LEVEL is already set.
  """
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
  # gym prints a deprecation banner from gym_notices when tf_agents imports it; a None entry
  # makes that import fail, which gym catches.
  sys.modules["gym_notices"] = None
  # With a root handler in place TensorFlow adds no handler of its own, so its records
  # are not printed twice (once as "INFO:tensorflow:", once through absl).
  absl_logging.use_absl_handler()
  for name in ("absl", "tensorflow"):
    logging.getLogger(name).addFilter(_SaveNoiseFilter())
  # Autograph compiles TF-Agents' `x is ()` tests into temporary files.
  warnings.filterwarnings("ignore", category=SyntaxWarning,
                          module=r".*__autograph_generated_file")
  # Every saved greedy policy has a tfp Deterministic spec; loading it needs
  # tensorflow_probability imported, which importing TF-Agents does.
  warnings.filterwarnings("ignore", message="Encoding a StructuredValue with type",
                          category=UserWarning,
                          module=r"tensorflow\.python\.saved_model\.nested_structure_coder")
  _import_tensorflow_without(_IMPORT_NOISE)


def _import_tensorflow_without(noise):
  """Imports TensorFlow with stderr (fd 2, where its C++ logs go) held back, then writes out
  every held line that contains none of `noise`."""
  sys.stderr.flush()
  saved_fd = os.dup(2)
  with tempfile.TemporaryFile(mode="w+b") as held:
    os.dup2(held.fileno(), 2)
    try:
      import tensorflow  # pylint: disable=g-import-not-at-top,unused-import,import-outside-toplevel
    finally:
      sys.stderr.flush()
      os.dup2(saved_fd, 2)
      os.close(saved_fd)
      held.seek(0)
      lines = held.read().decode(errors="replace").splitlines(keepends=True)
      sys.stderr.write("".join(line for line in lines if not any(n in line for n in noise)))
