"""Configuration at the edge: gin files and bindings, TensorFlow threads, one-line errors."""
import inspect
import numbers
import os
import re

import gin
import tensorflow as tf

# Gin appends this to an exception raised while it calls a configurable.
_IN_CALL = re.compile(r"In call to configurable '([^']+)'")


class ConfigError(Exception):
  """A configuration problem, reported to the user in one line before training starts."""


def one_line(error):
  """The first line of an exception's message (gin appends call-site context below it)."""
  lines = str(error).strip().splitlines()
  return lines[0] if lines else type(error).__name__


def explain(error):
  """One line for an error raised while building from gin; a TypeError that a wrongly typed
  binding explains names that binding (e.g. "create_dqn_agent.learning_rate = 'fast'")."""
  match = _IN_CALL.search(str(error))
  if isinstance(error, TypeError) and match:
    binding = wrongly_typed_binding(match.group(1))
    if binding:
      return binding
  return one_line(error)


def wrongly_typed_binding(configurable_name):
  """'NAME.PARAM = VALUE has the wrong type ...' for the first binding of a configurable whose
  value's type does not fit its default's (numbers, strings, booleans), or None."""
  try:
    signature = inspect.signature(gin.get_configurable(configurable_name))
    bindings = gin.get_bindings(configurable_name)
  except (ValueError, TypeError):
    return None
  for name, value in bindings.items():
    parameter = signature.parameters.get(name)
    default = parameter.default if parameter is not None else inspect.Parameter.empty
    if default is inspect.Parameter.empty or default is None or _fits(value, default):
      continue
    return (f"{configurable_name}.{name} = {value!r} has the wrong type: expected "
            f"{type(default).__name__}, as its default {default!r}")
  return None


def _fits(value, default):
  if isinstance(default, bool):
    return isinstance(value, bool)
  if isinstance(default, numbers.Integral):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
  if isinstance(default, numbers.Real):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
  if isinstance(default, str):
    return isinstance(value, str)
  return True


def parse_gin(gin_files, gin_bindings):
  """Parses gin files then bindings; raises ConfigError naming the file or binding at fault."""
  for path in gin_files:
    if not os.path.isfile(path):
      raise ConfigError(f"gin file not found: {path}")
    # `include 'x.gin'` in a gin file names a sibling file, wherever the run starts.
    gin.add_config_file_search_path(os.path.dirname(os.path.abspath(path)))
  try:
    gin.parse_config_files_and_bindings(gin_files, gin_bindings)
  except (ValueError, SyntaxError, KeyError, TypeError) as error:
    raise ConfigError(f"invalid gin configuration: {one_line(error)}") from error


def parse_step_range(text):
  """'START,END' as (start, end) ints, or None for None; ConfigError if malformed."""
  if text is None:
    return None
  try:
    start, end = (int(part) for part in text.split(","))
  except ValueError as error:
    raise ConfigError(f"--profile_steps must be START,END (two integers), got {text!r}") from error
  return start, end


@gin.configurable
def configure_threads(intra_op_parallelism=1, inter_op_parallelism=2):
  """Sets TensorFlow's thread pools (0 lets TensorFlow choose).

  The default is the fastest measured on 2 cores (scripts/benchmark_throughput.py --threads):
  the small ops of these networks lose more than they gain from being split across both
  cores; two inter-op threads let independent ops run side by side and were never slower.
  """
  tf.config.threading.set_intra_op_parallelism_threads(intra_op_parallelism)
  tf.config.threading.set_inter_op_parallelism_threads(inter_op_parallelism)


def save_operative_config(root_dir):
  """Writes the gin parameters the run actually used to root_dir/operative_config.gin."""
  os.makedirs(root_dir, exist_ok=True)
  text = gin.operative_config_str()
  with open(os.path.join(root_dir, "operative_config.gin"), "w") as config_file:
    config_file.write(text)
  return text
