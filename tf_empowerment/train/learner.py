"""The learner: samples replay, relabels rewards through the intrinsic reward, trains the agent.

Each `run` is one compiled call of `updates_per_run` updates, sampling inside it (a tf.data
iterator costs ~6x more per batch). Windows that cross an episode's end or a resume's cut
train nothing (replay.transitions.window_weights), and learning starts once replay holds
`learning_starts` transitions, whatever the step counter says (a resumed run may have an
empty replay).
"""
import math

import gin
import tensorflow as tf

from tf_empowerment.replay import transitions


def window_length(agent, intrinsic_reward):
  """The steps of each sampled window: the agent's train_sequence_length or the intrinsic
  reward's window_length, whichever is longer."""
  return max(agent.train_sequence_length,
             intrinsic_reward.window_length if intrinsic_reward is not None else 0)


class DivergenceError(RuntimeError):
  """A loss became NaN or infinite; the message is one line naming it."""


@gin.configurable(denylist=["agent", "replay", "intrinsic_reward", "states_of",
                            "updates_per_run"])
class ReplayLearner:
  """Trains `agent` on batches of `batch_size` windows sampled uniformly from `replay`.

  `intrinsic_reward` (an IntrinsicReward or None) relabels each batch, its observations first
  mapped by `states_of` (ObservationPipeline.states_of); extrinsic rewards are clipped to
  their sign first with `clip_rewards` (Mnih et al. 2015). Windows are as long as the agent's
  or the intrinsic reward's `window_length`, whichever is longer.
  """

  def __init__(self, agent, replay, intrinsic_reward=None, states_of=lambda x: x,
               updates_per_run=1, batch_size=32, learning_starts=1_000, clip_rewards=True):
    if not isinstance(batch_size, int) or batch_size < 1:
      raise ValueError(f"ReplayLearner.batch_size must be a positive integer, got {batch_size!r}")
    if not isinstance(learning_starts, int) or learning_starts < 0:
      raise ValueError(f"ReplayLearner.learning_starts must be a non-negative integer, "
                       f"got {learning_starts!r}")
    self._agent = agent
    self._replay = replay
    self._intrinsic_reward = intrinsic_reward
    self._states_of = states_of
    self._updates_per_run = updates_per_run
    self._batch_size = batch_size
    self._learning_starts = learning_starts
    self._clip_rewards = clip_rewards
    self._train = tf.function(self._train_fn)

  def create_variables(self):
    """Creates every variable an update creates (optimizer slots, networks built on first use)
    without changing any value, so a checkpoint restores them all and can be checked whole."""
    q_network = self._agent._q_network  # pylint: disable=protected-access
    self._agent._optimizer.build(q_network.trainable_variables)  # pylint: disable=protected-access
    if self._intrinsic_reward is not None:
      self._intrinsic_reward.create_variables()

  def run(self):
    """One compiled call of the updates; their last metrics (name -> float), {} before
    learning starts. Raises DivergenceError if a loss is not finite."""
    if int(self._replay.num_frames()) < max(self._learning_starts, 1):
      return {}
    try:
      metrics = {name: float(value) for name, value in self._train().items()}
    except tf.errors.InvalidArgumentError as error:
      if "Loss is inf or nan" not in error.message:
        raise
      raise DivergenceError("train/loss is not finite (TF-Agents' loss check): the run "
                            "diverged") from None
    for name, value in metrics.items():
      if "loss" in name and not math.isfinite(value):
        raise DivergenceError(f"{name} is {value}: the run diverged")
    return metrics

  def check_finite(self):
    """Raises DivergenceError naming the first NaN or infinite trained variable (before a
    save: the last checkpoint must stay a good one)."""
    variables = list(self._agent.trainable_variables)
    if self._intrinsic_reward is not None:
      variables += list(self._intrinsic_reward.trainable_variables)
    for variable in variables:
      if variable.dtype.is_floating and not bool(tf.reduce_all(tf.math.is_finite(variable))):
        raise DivergenceError(f"variable {variable.name} is not finite: the run diverged")

  def _train_fn(self):
    metrics = self._update()
    for _ in tf.range(self._updates_per_run - 1):
      metrics = self._update()
    return metrics

  def _update(self):
    """One update: sample, relabel (clip, intrinsic reward), then the agent's weighted step."""
    agent_steps = self._agent.train_sequence_length
    window = window_length(self._agent, self._intrinsic_reward)
    experience, _ = self._replay.get_next(sample_batch_size=self._batch_size, num_steps=window)
    if self._clip_rewards:
      experience = experience._replace(reward=tf.sign(experience.reward))
    metrics = {}
    if self._intrinsic_reward is not None:
      rewards, metrics = self._intrinsic_reward.relabel(self._states_of(experience),
                                                        num_rewarded=agent_steps - 1)
      if self._intrinsic_reward.num_channels == 1:
        rewards = rewards[..., 0]
      experience = experience._replace(reward=rewards)
    # A bonus may learn from longer windows; the agent trains on their first steps.
    experience = tf.nest.map_structure(lambda x: x[:, :agent_steps], experience)
    weights = transitions.window_weights(experience)
    loss_info = self._agent.train(experience._replace(policy_info=()), weights=weights)
    metrics["train/loss"] = loss_info.loss
    metrics["train/transition_fraction"] = tf.reduce_mean(weights)
    if self._intrinsic_reward is not None and self._intrinsic_reward.num_channels == 2:
      head_losses = tf.reduce_mean(loss_info.extra.td_loss, axis=0)
      metrics["train/extrinsic_td_loss"] = head_losses[0]
      metrics["train/intrinsic_td_loss"] = head_losses[1]
    return metrics
