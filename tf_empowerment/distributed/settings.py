"""A run's settings as every distributed job reads them: from the gin file scripts/train.py takes.

The jobs build no Runner, so they read the parameters gin would pass it (and the learner's and
the replay buffer's) directly: each configurable's defaults overridden by its bindings.
"""
import dataclasses
import inspect
import typing

import gin
import tensorflow as tf

from tf_empowerment.envs import suite
from tf_empowerment.replay import buffers
from tf_empowerment.replay import frame_stack
from tf_empowerment.train import learner
from tf_empowerment.train import runner


def configured(configurable):
  """The keyword arguments gin passes `configurable`: its defaults, overridden by bindings."""
  parameters = inspect.signature(configurable).parameters.values()
  defaults = {parameter.name: parameter.default for parameter in parameters
              if parameter.default is not inspect.Parameter.empty}
  return {**defaults, **gin.get_bindings(configurable)}


@dataclasses.dataclass(frozen=True)
class RunSettings:
  """Runner's, ReplayLearner's and create_replay_buffer's parameters that the jobs share."""
  env_id: str
  num_envs: int
  seed: int
  num_agent_steps: int
  agent_steps_per_update: int
  checkpoint_interval: int
  log_interval: int
  eval_interval: int
  eval_episodes: int
  intrinsic_reward: typing.Optional[typing.Callable]
  create_agent_fn: typing.Callable
  batch_size: int
  learning_starts: int
  capacity: int
  # Frames per observation stack when replay stores each frame once
  # (create_replay_buffer.buffer_fn = @FrameStackReplayBuffer); None when it stores whole steps.
  frame_stack_size: typing.Optional[int]

  @classmethod
  def from_gin(cls):
    """The settings of the parsed gin configuration; ValueError names a bad one."""
    run = configured(runner.Runner)
    if not isinstance(run["env_id"], str):
      raise ValueError("Runner.env_id must be bound to an environment id in the gin file")
    names = ("num_envs", "num_agent_steps", "agent_steps_per_update", "checkpoint_interval",
             "log_interval", "eval_interval", "eval_episodes")
    runner.validate_settings(**{name: run[name] for name in names})
    replay_learner = configured(learner.ReplayLearner)
    replay = configured(buffers.create_replay_buffer)
    capacity = replay["capacity"]
    if not isinstance(capacity, int) or capacity < 1:
      raise ValueError(f"create_replay_buffer.capacity must be a positive integer, "
                       f"got {capacity!r}")
    frame_stack_size = (configured(frame_stack.FrameStackReplayBuffer)["stack_size"]
                        if replay["buffer_fn"] is frame_stack.FrameStackReplayBuffer else None)
    return cls(**{name: run[name] for name in names + (
        "env_id", "seed", "intrinsic_reward", "create_agent_fn")},
               batch_size=replay_learner["batch_size"],
               learning_starts=replay_learner["learning_starts"], capacity=capacity,
               frame_stack_size=frame_stack_size)

  @property
  def samples_per_insert(self):
    """Sampled windows per inserted agent step: one update of `batch_size` windows per
    `agent_steps_per_update` agent steps, as in process."""
    return self.batch_size / self.agent_steps_per_update

  def agent_step(self, train_step):
    """The agent step that `train_step` updates stand for: learning starts after
    `learning_starts` steps, then one update per `agent_steps_per_update` (the ratio the replay
    server's rate limiter holds). Epsilon, logs and the end of the run follow it. Before the
    first update it is 0: actors fill replay at epsilon's start value."""
    train_step = int(train_step)
    if train_step == 0:
      return 0
    return self.learning_starts + train_step * self.agent_steps_per_update


def build(settings, agent_step, first_env=0):
  """(py_env, runner.AgentParts, collect policy) as each job of the run builds them.

  The environments are seeded as sub-environments `first_env`, `first_env + 1`, ... of one
  batch seeded with the run's seed, so actors that start at different `first_env` explore
  different episodes. TensorFlow is seeded with the run's seed first, as the Runner does.
  """
  tf.random.set_seed(settings.seed)
  py_env = suite.load_environment(settings.env_id, num_envs=settings.num_envs,
                                  seed=settings.seed + first_env)
  parts = agent_parts(settings, py_env, settings.num_envs, agent_step)
  collect_policy = runner.recording_collect_policy(parts.agent, parts.observations,
                                                   parts.intrinsic_reward)
  return py_env, parts, collect_policy


def agent_parts(settings, py_env, num_envs, agent_step):
  """runner.AgentParts for the environments `py_env`, with every variable of the intrinsic
  reward created (the pushed variables' specs need them all)."""
  parts = runner.build_agent(py_env, num_envs, settings.intrinsic_reward,
                             settings.create_agent_fn, agent_step)
  if parts.intrinsic_reward is not None:
    parts.intrinsic_reward.create_variables()
  return parts
