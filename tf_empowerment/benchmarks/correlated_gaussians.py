"""Correlated Gaussians with known mutual information: the ground truth for the MI bounds.

x ~ N(0, I_d) and y = rho x + sqrt(1 - rho^2) eps, componentwise, so
I(X; Y) = -d/2 log(1 - rho^2) nats (Poole et al. 2019, Sec. 5; Belghazi et al. 2018, Sec. 5.1).
"""
import math

import tensorflow as tf


def correlation(mutual_information, dimension):
  """The per-component rho giving `mutual_information` nats in `dimension` dimensions."""
  if mutual_information < 0 or dimension < 1:
    raise ValueError(f"need mutual_information >= 0 and dimension >= 1, got "
                     f"{mutual_information} and {dimension}")
  return math.sqrt(1.0 - math.exp(-2.0 * mutual_information / dimension))


def sample(batch_size, dimension, mutual_information, seed):
  """(x, y), each float32 [batch_size, dimension], with I(X; Y) = mutual_information nats.

  `seed` is a stateless seed, shape [2] int.
  """
  rho = correlation(mutual_information, dimension)
  x, noise = tf.unstack(tf.random.stateless_normal([2, batch_size, dimension], seed))
  return x, rho * x + math.sqrt(1.0 - rho**2) * noise


def log_density_ratio(x, y, mutual_information):
  """log p(x, y) / (p(x) p(y)) summed over components: scores [...] for x, y [..., d]."""
  rho = correlation(mutual_information, x.shape[-1])
  log_ratio = (-0.5 * math.log(1.0 - rho**2) - tf.square(y - rho * x) / (2.0 * (1.0 - rho**2))
               + tf.square(y) / 2.0)
  return tf.reduce_sum(log_ratio, axis=-1)
