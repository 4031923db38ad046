"""The train/eval loop: collect with a TF-Agents driver, update DQN, evaluate, checkpoint, resume.

One Runner owns the loop (as in Dopamine): rerunning the same command with the same root_dir
restores the last complete checkpoint (agent, optimizer, step counters, metrics and, by
default, the replay contents) and continues from its step.
"""
import os

from absl import logging
import gin
import numpy as np
import tensorflow as tf
from tf_agents.drivers import dynamic_episode_driver
from tf_agents.drivers import dynamic_step_driver
from tf_agents.environments import tf_py_environment
from tf_agents.eval import metric_utils
from tf_agents.metrics import tf_metrics
from tf_agents.replay_buffers import tf_uniform_replay_buffer
from tf_agents.utils import common

from tf_empowerment.envs import embedded
from tf_empowerment.envs import suite
from tf_empowerment.rewards import normalisation
from tf_empowerment.train import agent as agent_lib
from tf_empowerment.train import checkpoints
from tf_empowerment.train import embedding_policy
from tf_empowerment.train import heat_maps
from tf_empowerment.train import progress
from tf_empowerment.train import two_head_dqn


def _clip_rewards_to_sign(experience):
  """Clips extrinsic rewards to {-1, 0, 1} (Mnih et al. 2015)."""
  return experience._replace(reward=tf.sign(experience.reward))


@gin.configurable
class Runner:
  """Trains a DQN agent on one environment id, evaluating and checkpointing as it goes.

  All intervals count agent steps (environment steps summed over the `num_envs` copies);
  `replay_capacity` counts transitions over all copies.

  With an `encoder` (e.g. @RandomEncoder) every observation is normalised with statistics
  from `observation_warmup_steps` random-policy steps, then embedded once, at collection: the
  replay, the Q-network and the intrinsic reward all see embeddings (the paper's set-up).
  With `embed_at_collection=False` the replay and Q-network keep pixels, for a convnet
  Q-network; the collect policy records each embedding beside them (EmbeddingInfoPolicy), so
  the intrinsic reward still reads embeddings computed once.
  With an `intrinsic_reward` (e.g. @EmpowermentReward) each sampled batch trains it and has
  its rewards relabelled by it before the DQN update (kept apart per head for a two-head
  agent, `create_dqn_agent.two_heads`), and each evaluation draws an empowerment
  heat map (gridworld cells, or Montezuma positions sampled every `map_record_interval`
  collect calls). `profile_steps=(start, end)` traces agent steps [start, end) with the
  TensorBoard profiler into root_dir/profile.
  """

  def __init__(
      self,
      root_dir,
      env_id=gin.REQUIRED,
      num_envs=1,
      seed=0,
      num_agent_steps=100_000,
      agent_steps_per_update=4,
      batch_size=32,
      learning_starts=1_000,
      replay_buffer_fn=tf_uniform_replay_buffer.TFUniformReplayBuffer,
      replay_capacity=100_000,
      checkpoint_replay=True,
      clip_rewards=True,
      eval_interval=10_000,
      eval_episodes=5,
      checkpoint_interval=10_000,
      log_interval=1_000,
      encoder=None,
      embed_at_collection=True,
      observation_warmup_steps=2_000,
      intrinsic_reward=None,
      map_record_interval=16,
      profile_steps=None,
  ):
    _validate_positive(num_envs=num_envs, num_agent_steps=num_agent_steps,
                       agent_steps_per_update=agent_steps_per_update, batch_size=batch_size,
                       replay_capacity=replay_capacity, eval_interval=eval_interval,
                       checkpoint_interval=checkpoint_interval, log_interval=log_interval)
    if profile_steps is not None and not 0 <= profile_steps[0] < profile_steps[1]:
      raise ValueError(f"Runner.profile_steps must be (start, end) with 0 <= start < end, "
                       f"got {profile_steps}")
    if max(num_envs, agent_steps_per_update) % min(num_envs, agent_steps_per_update):
      raise ValueError(f"Runner: num_envs ({num_envs}) and agent_steps_per_update "
                       f"({agent_steps_per_update}) must divide one another")
    self._root_dir = root_dir
    self._num_agent_steps = num_agent_steps
    self._learning_starts = learning_starts
    self._clip_rewards = clip_rewards
    self._eval_interval = eval_interval
    self._checkpoint_interval = checkpoint_interval
    self._log_interval = log_interval
    tf.random.set_seed(seed)

    self._py_env = suite.load_environment(env_id, num_envs=num_envs, seed=seed)
    with gin.config_scope("eval"):
      self._eval_py_env = suite.load_environment(env_id, num_envs=1, seed=seed + 10_000)
    self._env = tf_py_environment.TFPyEnvironment(self._py_env)
    self._eval_env = tf_py_environment.TFPyEnvironment(self._eval_py_env)
    self._frames_per_step = self._py_env.frames_per_step
    trackables = {}
    self._observation_normaliser = None
    self._observation_warmup_steps = observation_warmup_steps
    embed = None
    if encoder is not None:
      self._observation_normaliser = normalisation.ObservationNormaliser(
          self._env.observation_spec().shape)
      encoder_network = encoder()
      def embed(observations):
        return encoder_network(self._observation_normaliser(observations))
      if embed_at_collection:
        self._env, self._eval_env = _embedded_environments(embed, self._env, self._eval_env)
      trackables["observation_normaliser"] = self._observation_normaliser

    self._env_steps = tf_metrics.EnvironmentSteps()
    self._train_metrics = [
        self._env_steps,
        tf_metrics.NumberOfEpisodes(),
        tf_metrics.AverageReturnMetric(batch_size=num_envs, buffer_size=100),
        tf_metrics.AverageEpisodeLengthMetric(batch_size=num_envs, buffer_size=100),
    ]
    self._intrinsic_reward, self._empowerment_map = None, None
    if intrinsic_reward is not None:
      self._intrinsic_reward = intrinsic_reward(
          num_actions=int(self._env.action_spec().maximum) + 1, num_envs=num_envs)
    self._agent, self._epsilon = agent_lib.create_dqn_agent(
        self._env.time_step_spec(), self._env.action_spec(),
        agent_step=self._env_steps.environment_steps, intrinsic_reward=self._intrinsic_reward)
    self._two_heads = isinstance(self._agent, two_head_dqn.TwoHeadDqnAgent)
    collect_policy = self._agent.collect_policy
    self._embeddings_in_info = (intrinsic_reward is not None and embed is not None
                                and not embed_at_collection)
    if self._embeddings_in_info:
      collect_policy = embedding_policy.EmbeddingInfoPolicy(
          collect_policy, embed, _embedding_size(embed, self._env.observation_spec()))
    self._replay = replay_buffer_fn(
        collect_policy.trajectory_spec, batch_size=num_envs,
        max_length=max(replay_capacity // num_envs, 1))
    observers = [self._replay.add_batch] + self._train_metrics
    self._map_record_interval = map_record_interval
    if self._intrinsic_reward is not None:
      observers.append(lambda steps: self._intrinsic_reward.observe(self._states_of(steps)))
      trackables["intrinsic_reward"] = self._intrinsic_reward
      of_states = self._intrinsic_reward.state_empowerment
      of_observations = of_states if embed is None else lambda x: of_states(embed(x))
      self._empowerment_map = heat_maps.make_empowerment_map(
          self._eval_py_env, of_observations,
          of_states if embed is None or embed_at_collection else of_observations)

    steps_per_iteration = max(num_envs, agent_steps_per_update)
    self._updates_per_iteration = steps_per_iteration // agent_steps_per_update
    self._collect = common.function(dynamic_step_driver.DynamicStepDriver(
        self._env, collect_policy, observers=observers, num_steps=steps_per_iteration).run)
    self._batch_size = batch_size
    self._update = tf.function(self._update_fn)
    self._time_step, self._iteration = None, 0
    self._policy_state = collect_policy.get_initial_state(self._env.batch_size)
    self._profile_steps, self._profiling = profile_steps, False
    self._eval_metrics = [tf_metrics.AverageReturnMetric(), tf_metrics.AverageEpisodeLengthMetric()]
    self._run_eval_episodes = common.function(dynamic_episode_driver.DynamicEpisodeDriver(
        self._eval_env, self._agent.policy, observers=self._eval_metrics,
        num_episodes=eval_episodes).run)

    trackables.update(agent=self._agent, metrics=metric_utils.MetricsGroup(
        self._train_metrics, "train_metrics"))
    if checkpoint_replay:
      trackables["replay_buffer"] = self._replay
    self._checkpointer = checkpoints.RunCheckpointer(root_dir, **trackables)

  @property
  def replay(self):
    return self._replay

  @property
  def agent_step(self):
    return int(self._env_steps.result())

  def _update_fn(self):
    """Runs `updates_per_iteration` updates in one compiled call; returns the last's metrics."""
    metrics = self._update_once()
    for _ in tf.range(self._updates_per_iteration - 1):
      metrics = self._update_once()
    return metrics

  def _update_once(self):
    """One update: sample, relabel rewards (clip, intrinsic reward), then DQN's loss step."""
    # Sampled in the compiled update itself: a tf.data iterator costs ~6x more per batch.
    experience, _ = self._replay.get_next(sample_batch_size=self._batch_size,
                                          num_steps=self._agent.train_sequence_length)
    if self._clip_rewards:
      experience = _clip_rewards_to_sign(experience)
    metrics = {}
    if self._intrinsic_reward is not None:
      relabelled, metrics = self._intrinsic_reward(self._states_of(experience),
                                                   separate=self._two_heads)
      experience = experience._replace(reward=relabelled.reward)
    loss_info = self._agent.train(experience._replace(policy_info=()))
    metrics["train/loss"] = loss_info.loss
    if self._two_heads:
      head_losses = tf.reduce_mean(loss_info.extra.td_loss, axis=0)
      metrics["train/extrinsic_td_loss"] = head_losses[0]
      metrics["train/intrinsic_td_loss"] = head_losses[1]
    return metrics

  def _states_of(self, steps):
    """`steps` (trajectories) with observations as the embedded states the estimator uses."""
    if self._embeddings_in_info:
      return steps._replace(observation=steps.policy_info)
    return steps

  def start(self):
    """Restores the latest checkpoint, or fits the observation statistics for a new run;
    returns the restored checkpoint's path or None."""
    restored = self._checkpointer.restore()
    if self._observation_normaliser is not None and not restored:
      self._warm_up_observation_normaliser()
    if restored:
      logging.info("Resuming from %s at agent step %d with %d transitions", restored,
                   self.agent_step, int(self._replay.num_frames()))
    return restored

  def train_iteration(self):
    """One compiled collect call, then its updates once replay holds `learning_starts` steps.

    Returns the last update's metrics ({} before learning starts).
    """
    self.collect()
    if self.agent_step < self._learning_starts:
      return {}
    return self.update()

  def collect(self):
    """One compiled collect call: max(num_envs, agent_steps_per_update) agent steps."""
    self._time_step, self._policy_state = self._collect(self._time_step, self._policy_state)
    self._iteration += 1
    if self._empowerment_map is not None and self._iteration % self._map_record_interval == 0:
      self._empowerment_map.record(self._time_step, self._py_env.get_info())

  def update(self):
    """One compiled call of an iteration's updates; returns the last one's metrics."""
    return {name: float(value) for name, value in self._update().items()}

  def run(self):
    """Trains until `num_agent_steps`, resuming from the latest checkpoint if there is one."""
    restored = self.start()
    start_step = self.agent_step
    train_writer = tf.summary.create_file_writer(os.path.join(self._root_dir, "train"))
    eval_writer = tf.summary.create_file_writer(os.path.join(self._root_dir, "eval"))
    reporter = progress.ProgressReporter(
        train_writer, self._num_agent_steps, self._frames_per_step, start_step)
    update_metrics, saved_step = {}, start_step if restored else None
    while self.agent_step < self._num_agent_steps:
      previous_step = self.agent_step
      update_metrics = self.train_iteration() or update_metrics
      reporter.add_episodes(self._py_env.episode_metrics())
      step = self.agent_step
      self._profile(previous_step, step)
      if _crossed(previous_step, step, self._log_interval):
        reporter.report(step, self._train_metrics, update_metrics, self._epsilon(step))
      if _crossed(previous_step, step, self._eval_interval):
        self._evaluate(step, eval_writer)
      if _crossed(previous_step, step, self._checkpoint_interval):
        saved_step = self._save(step)
    if saved_step != self.agent_step:
      self._evaluate(self.agent_step, eval_writer)
      self._save(self.agent_step)

  def _warm_up_observation_normaliser(self):
    """Fits the observation statistics on `observation_warmup_steps` uniformly random steps."""
    spec = self._py_env.action_spec()
    rng = np.random.default_rng(0)
    batch_size = self._py_env.batch_size if self._py_env.batched else None
    observation_shape = self._py_env.observation_spec().shape
    self._py_env.reset()
    for _ in range(max(self._observation_warmup_steps // (batch_size or 1), 1)):
      action = rng.integers(spec.minimum, spec.maximum + 1, size=batch_size).astype(spec.dtype)
      observation = self._py_env.step(action).observation
      self._observation_normaliser.update(np.reshape(observation, (-1,) + observation_shape))
    self._py_env.episode_metrics()  # Warm-up episodes are no part of training.

  def _profile(self, previous_step, step):
    """Starts or stops the profiler when the run crosses `profile_steps`."""
    if self._profile_steps is None:
      return
    start, end = self._profile_steps
    if previous_step < start <= step:
      tf.profiler.experimental.start(os.path.join(self._root_dir, "profile"))
      self._profiling = True
    if self._profiling and (previous_step < end <= step or step >= self._num_agent_steps):
      tf.profiler.experimental.stop()
      self._profiling = False

  def _evaluate(self, step, eval_writer):
    """Runs the greedy policy for `eval_episodes` episodes and writes eval scalars."""
    for metric in self._eval_metrics:
      metric.reset()
    self._run_eval_episodes()
    episodes = self._eval_py_env.episode_metrics()
    means = progress.mean_episode_metrics(episodes)
    with eval_writer.as_default(step=step):
      for metric in self._eval_metrics:
        tf.summary.scalar(metric.name, metric.result())
      for name, value in means.items():
        tf.summary.scalar(f"episode/{name}", value)
    logging.info("eval at step %d over %d episodes: %s", step, len(episodes),
                 ", ".join(f"{name} {value:g}" for name, value in means.items()))
    png = self._empowerment_map.png() if self._empowerment_map is not None else None
    if png is not None:
      heat_maps.write_map(png, step, eval_writer, self._root_dir)

  def _save(self, step):
    path = self._checkpointer.save(step)
    logging.info("Saved %s at agent step %d with %d transitions", path, step,
                 int(self._replay.num_frames()))
    checkpoints.export_policy(self._agent.policy, os.path.join(self._root_dir, "policy"),
                              self._agent.train_step_counter)
    return step


def _embedding_size(embed, observation_spec):
  return int(embed(tf.zeros([1] + observation_spec.shape.as_list(), observation_spec.dtype))
             .shape[-1])


def _embedded_environments(embed, env, eval_env):
  """Both environments with observations replaced by `embed(observations)`."""
  embedding_size = _embedding_size(embed, env.observation_spec())
  return (embedded.EmbeddedEnvironment(env, embed, embedding_size),
          embedded.EmbeddedEnvironment(eval_env, embed, embedding_size))


def _crossed(previous_step, step, interval):
  """Whether a multiple of `interval` lies in (previous_step, step]."""
  return step // interval > previous_step // interval


def _validate_positive(**values):
  for name, value in values.items():
    if value <= 0:
      raise ValueError(f"Runner.{name} must be positive, got {value}")
