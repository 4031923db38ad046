"""Lets absltest suites run under pytest: absl flags are parsed with their defaults."""
from absl import flags

flags.FLAGS.mark_as_parsed()
