"""The run loop: an actor and a learner over one replay, with evaluation, progress and checkpoints.

One Runner owns the loop (as in Dopamine): rerunning the same command with the same root_dir
restores the last complete checkpoint (agent, optimizers, intrinsic reward, observation
normaliser and encoder, metrics and, by default, the replay contents) and continues from its
step, with random streams reseeded from that step rather than replayed from the start.
"""
import os
import typing

from absl import logging
import gin
import numpy as np
import tensorflow as tf
from tf_agents.environments import batched_py_environment
from tf_agents.environments import tf_environment
from tf_agents.environments import tf_py_environment
from tf_agents.eval import metric_utils
from tf_agents.metrics import tf_metrics

from tf_empowerment.agents import dqn
from tf_empowerment.envs import suite
from tf_empowerment.observations import pipeline
from tf_empowerment.observations import policies
from tf_empowerment.replay import buffers
from tf_empowerment.rewards import intrinsic_reward as intrinsic_reward_lib
from tf_empowerment.train import actor as actor_lib
from tf_empowerment.train import checkpoints
from tf_empowerment.train import evaluation
from tf_empowerment.train import heat_maps
from tf_empowerment.train import learner as learner_lib
from tf_empowerment.train import progress


@gin.configurable(denylist=["root_dir", "profile_steps"])
class Runner:
  """Trains a DQN agent on one environment id, evaluating and checkpointing as it goes.

  All intervals count agent steps (environment steps summed over the `num_envs` copies).
  Each iteration the actor collects max(num_envs, agent_steps_per_update) agent steps and the
  learner runs one update per `agent_steps_per_update` of them. `intrinsic_reward` builds an
  IntrinsicReward (e.g. @EmpowermentReward); its number of reward channels decides the agent
  (`create_agent_fn`: one Q-head or two); when it has `state_values`, each evaluation draws
  a heat map of them (gridworld cells, or Montezuma positions sampled every
  `map_record_interval` iterations). `profile_steps=(start, end)` traces agent steps
  [start, end) with the TensorBoard profiler into root_dir/profile.
  """

  def __init__(self, root_dir, env_id=gin.REQUIRED, num_envs=1, seed=0,
               num_agent_steps=100_000, agent_steps_per_update=4, intrinsic_reward=None,
               eval_interval=10_000, eval_episodes=5, checkpoint_interval=10_000,
               log_interval=1_000, checkpoint_replay=True, map_record_interval=16,
               create_agent_fn=dqn.create_dqn_agent, profile_steps=None):
    validate_settings(num_envs=num_envs, num_agent_steps=num_agent_steps,
              agent_steps_per_update=agent_steps_per_update, eval_interval=eval_interval,
              eval_episodes=eval_episodes, checkpoint_interval=checkpoint_interval,
              log_interval=log_interval, map_record_interval=map_record_interval)
    if not isinstance(seed, int):
      raise ValueError(f"Runner.seed must be an integer, got {seed!r}")
    if profile_steps is not None and not 0 <= profile_steps[0] < profile_steps[1]:
      raise ValueError(f"Runner.profile_steps must be (start, end) with 0 <= start < end, "
                       f"got {profile_steps}")
    if max(num_envs, agent_steps_per_update) % min(num_envs, agent_steps_per_update):
      raise ValueError(f"Runner: num_envs ({num_envs}) and agent_steps_per_update "
                       f"({agent_steps_per_update}) must divide one another")
    self._root_dir = root_dir
    self._seed = seed
    self._num_agent_steps = num_agent_steps
    self._intervals = dict(eval=eval_interval, checkpoint=checkpoint_interval, log=log_interval)
    self._map_record_interval = map_record_interval
    self._profile_steps, self._profiling = profile_steps, False
    tf.random.set_seed(seed)

    self._py_env = suite.load_environment(env_id, num_envs=num_envs, seed=seed)
    self._eval_py_env = evaluation.load_eval_environment(env_id, seed)
    self._env_steps = tf_metrics.EnvironmentSteps()
    parts = build_agent(self._py_env, num_envs, intrinsic_reward, create_agent_fn,
                        agent_step=self._env_steps.environment_steps)
    self.observations, self.intrinsic_reward = parts.observations, parts.intrinsic_reward
    self.agent, self._epsilon = parts.agent, parts.epsilon
    env = parts.env
    self._export_policy = parts.export_policy

    steps_per_iteration = max(num_envs, agent_steps_per_update)
    self.actor = self._build_actor(env, num_envs, steps_per_iteration)
    self.learner = learner_lib.ReplayLearner(
        self.agent, self.replay, self.intrinsic_reward, self.observations.states_of,
        updates_per_run=steps_per_iteration // agent_steps_per_update)
    self.learner.create_variables()
    self._iteration = 0
    self._heat_map = self._build_heat_map()
    self._evaluator = evaluation.Evaluator(
        self._eval_py_env, self.observations.environment(tf_environment(self._eval_py_env)),
        self.agent.policy, eval_episodes, root_dir, self._heat_map)

    trackables = dict(agent=self.agent, observations=self.observations,
                      metrics=metric_utils.MetricsGroup(self.actor.metrics, "train_metrics"))
    if self.intrinsic_reward is not None:
      trackables["intrinsic_reward"] = self.intrinsic_reward
    if checkpoint_replay:
      trackables["replay_buffer"] = self.replay
    self._checkpointer = checkpoints.RunCheckpointer(root_dir, **trackables)

  def _build_actor(self, env, num_envs, steps_per_run):
    """The actor with its collect policy, replay and observers."""
    reward = self.intrinsic_reward
    collect_policy = recording_collect_policy(self.agent, self.observations, reward)
    self.replay = buffers.create_replay_buffer(collect_policy.trajectory_spec, num_envs)
    observers = [self.replay.add_batch]
    if reward is not None:
      observers.append(lambda steps: reward.observe(self.observations.states_of(steps)))
    metrics = [self._env_steps, tf_metrics.NumberOfEpisodes(),
               tf_metrics.AverageReturnMetric(batch_size=num_envs, buffer_size=100),
               tf_metrics.AverageEpisodeLengthMetric(batch_size=num_envs, buffer_size=100)]
    return actor_lib.Actor(env, collect_policy, observers, metrics, steps_per_run)

  def _build_heat_map(self):
    """A heat map of the intrinsic reward's `state_values`, or None if it has none."""
    reward = self.intrinsic_reward
    if reward is None or reward.state_values is None:
      return None
    observations = self.observations
    def of_raw(raw):
      return reward.state_values(observations.state_of(observations.agent_view(raw)))
    return heat_maps.make_empowerment_map(
        self._eval_py_env, of_raw, lambda seen: reward.state_values(observations.state_of(seen)))

  @property
  def agent_step(self):
    return int(self._env_steps.result())

  def start(self):
    """Restores the latest checkpoint (and reseeds), or fits the observation statistics for
    a new run; returns the restored checkpoint's path or None."""
    restored = self._checkpointer.restore()
    if restored:
      # Fresh random streams from here on, not the start's again (TF's and the environments').
      resume_seed = int(np.random.SeedSequence([self._seed, self.agent_step])
                        .generate_state(1)[0] >> 1)
      tf.random.set_seed(resume_seed)
      self._py_env.reseed(resume_seed)
      self._eval_py_env.reseed(resume_seed + 1)
      logging.info("Resuming from %s at agent step %d with %d transitions", restored,
                   self.agent_step, int(self.replay.num_frames()))
    else:
      self.observations.warm_up(self._py_env, self._seed)
      self._py_env.episode_metrics()  # Warm-up episodes are no part of training.
    return restored

  def train_iteration(self):
    """One actor run, then the learner's updates; the last update's metrics ({} before
    learning starts)."""
    self.collect()
    return self.learner.run()

  def collect(self):
    """One actor run: max(num_envs, agent_steps_per_update) agent steps."""
    self.actor.run()
    self._iteration += 1
    if self._heat_map is not None and self._iteration % self._map_record_interval == 0:
      self._heat_map.record(self.actor.time_step, self._py_env.get_info())

  def run(self, stop_requested=lambda: False):
    """Trains until `num_agent_steps` or until `stop_requested()`, resuming from the latest
    checkpoint if there is one; saves before returning. Raises learner.DivergenceError
    (keeping the last good checkpoint) when a loss or a trained variable is not finite."""
    try:
      self._train(stop_requested)
    except learner_lib.DivergenceError as error:
      raise learner_lib.DivergenceError(
          f"{error} at agent step {self.agent_step}; kept the last checkpoint, "
          f"{self._checkpointer.latest or 'none yet'}") from None

  def _train(self, stop_requested):
    restored = self.start()
    start_step = self.agent_step
    train_writer = tf.summary.create_file_writer(os.path.join(self._root_dir, "train"))
    reporter = progress.ProgressReporter(
        train_writer, self._num_agent_steps, self._py_env.frames_per_step, start_step)
    update_metrics, saved_step = {}, start_step if restored else None
    while self.agent_step < self._num_agent_steps and not stop_requested():
      previous_step = self.agent_step
      update_metrics = self.train_iteration() or update_metrics
      reporter.add_episodes(self._py_env.episode_metrics())
      step = self.agent_step
      self._profile(previous_step, step)
      if crossed(previous_step, step, self._intervals["log"]):
        reporter.report(step, self.actor.metrics, update_metrics, self._epsilon(step))
      if crossed(previous_step, step, self._intervals["eval"]):
        self._evaluator.evaluate(step)
      if crossed(previous_step, step, self._intervals["checkpoint"]):
        saved_step = self._save(step)
    if saved_step != self.agent_step:
      if not stop_requested():
        self._evaluator.evaluate(self.agent_step)
      self._save(self.agent_step)

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

  def _save(self, step):
    self.learner.check_finite()  # A diverged run keeps its last good checkpoint.
    path = self._checkpointer.save(step)
    logging.info("Saved %s at agent step %d with %d transitions", path, step,
                 int(self.replay.num_frames()))
    checkpoints.export_policy(self._export_policy, os.path.join(self._root_dir, "policy"),
                              self.agent.train_step_counter)
    return step


class AgentParts(typing.NamedTuple):
  """What every process of a run builds alike from its gin file (see `build_agent`)."""
  env: tf_environment.TFEnvironment  # the training environment as the agent sees it
  observations: pipeline.ObservationPipeline
  intrinsic_reward: typing.Optional[intrinsic_reward_lib.IntrinsicReward]
  agent: typing.Any  # a TF-Agents DQN agent
  epsilon: typing.Callable  # agent step -> exploration epsilon
  export_policy: typing.Any  # the greedy policy on the environment's raw observations


def build_agent(py_env, num_envs, intrinsic_reward, create_agent_fn, agent_step):
  """The observation pipeline, intrinsic reward and agent for the environments `py_env`.

  Built in one order, so the same gin file and seed give every process that builds them (the
  in-process Runner, or the jobs of a distributed run) the same specs and initial weights.
  `intrinsic_reward` and `create_agent_fn` are Runner's parameters; epsilon decays with the
  int64 variable `agent_step`.
  """
  raw_env = tf_environment(py_env)
  observations = pipeline.ObservationPipeline(raw_env.observation_spec())
  env = observations.environment(raw_env)
  reward = intrinsic_reward and intrinsic_reward(
      state_spec=observations.state_spec, action_spec=env.action_spec(), num_envs=num_envs)
  agent, epsilon = create_agent_fn(
      env.time_step_spec(), env.action_spec(), agent_step=agent_step,
      reward_channels=reward.num_channels if reward else 1,
      intrinsic_episodic=bool(reward and reward.episodic))
  export_policy = observations.raw_policy(agent.policy, raw_env.time_step_spec())
  return AgentParts(env, observations, reward, agent, epsilon, export_policy)


def recording_collect_policy(agent, observations, intrinsic_reward):
  """The agent's collect policy, recording in its info what replay keeps beside each step
  (states to embed once, the intrinsic reward's `info`); its trajectory_spec is replay's."""
  recorders = observations.recorders()
  if intrinsic_reward is not None and intrinsic_reward.info_spec != ():
    recorders[intrinsic_reward_lib.INFO_KEY] = (
        intrinsic_reward.info_spec, lambda time_step: intrinsic_reward.info(
            observations.state_of(time_step.observation), time_step.is_first()))
  if not recorders:
    return agent.collect_policy
  return policies.RecordingPolicy(agent.collect_policy, recorders)


def tf_environment(py_env):
  """`py_env` as a TF environment. An unbatched one is batched here without TF-Agents' default
  thread pool: one environment gains nothing from it, and the pool's end at exit is noisy."""
  if not py_env.batched:
    py_env = batched_py_environment.BatchedPyEnvironment([py_env], multithreading=False)
  return tf_py_environment.TFPyEnvironment(py_env)


def crossed(previous_step, step, interval):
  """Whether a multiple of `interval` lies in (previous_step, step]."""
  return step // interval > previous_step // interval


def validate_settings(**values):
  """Raises ValueError naming the first of the Runner `values` that is no positive integer."""
  for name, value in values.items():
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
      raise ValueError(f"Runner.{name} must be a positive integer, got {value!r}")
