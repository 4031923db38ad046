"""The frozen random convolutional encoder: pixels -> embedding, fixed by a seed, never trained.

Random features (Burda et al. 2019, "Large-scale study of curiosity-driven learning") are how the
seed paper (arXiv 1810.05533) embeds frames, 64-dimensional: stable, because nothing about them
changes during training. No batch normalisation, so no running statistics drift either.
"""
import gin
import tensorflow as tf

from tf_empowerment.networks import q_networks

MAX_EMBEDDING_SIZE = 512


@gin.configurable
class RandomEncoder(tf.keras.Model):
  """Maps pixels [batch, H, W, C] in [0, 255] to embeddings [batch, embedding_size] (float32).

  Pixels are scaled to [0, 1] by `pixel_scale`; the Nature-DQN conv stack (leaky ReLU) and a
  linear projection follow, orthogonally initialised from `seed`. All weights are frozen.
  """

  def __init__(self, embedding_size=64, conv_layers=q_networks.NATURE_CONV_LAYERS,
               pixel_scale=1.0 / 255.0, seed=0, name="RandomEncoder"):
    super().__init__(name=name)
    if not 1 <= embedding_size <= MAX_EMBEDDING_SIZE:
      raise ValueError(f"RandomEncoder.embedding_size must be in [1, {MAX_EMBEDDING_SIZE}], "
                       f"got {embedding_size}")
    self._pixel_scale = pixel_scale
    self._layers = [
        tf.keras.layers.Conv2D(
            filters, kernel, strides=stride, activation=tf.nn.leaky_relu,
            kernel_initializer=tf.keras.initializers.Orthogonal(gain=2.0**0.5, seed=seed + i))
        for i, (filters, kernel, stride) in enumerate(conv_layers)
    ]
    self._layers += [
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(
            embedding_size,
            kernel_initializer=tf.keras.initializers.Orthogonal(seed=seed + len(conv_layers))),
    ]
    self.trainable = False

  def call(self, pixels):
    outputs = tf.cast(pixels, tf.float32) * self._pixel_scale
    for layer in self._layers:
      outputs = layer(outputs)
    return outputs
