"""The eval job: the learner's pushed policy evaluated as the in-process Runner evaluates it.

The agent and observation pipeline are built from the run's gin file on the run's evaluation
environment (evaluation.load_eval_environment); the job pulls the learner's variables and, each
time the agent step they stand for crosses a multiple of `Runner.eval_interval` (and when it
reaches `Runner.num_agent_steps`), runs `Runner.eval_episodes` greedy episodes through the
trainer's own Evaluator, writing root_dir/eval. Heat maps stay with the in-process trainer: the
statistics they draw (counts, the reward's observations) live on the learner.
"""
import time

from absl import logging
import gin
import tensorflow as tf

from tf_empowerment.distributed import settings as settings_lib
from tf_empowerment.distributed import variables as variables_lib
from tf_empowerment.train import evaluation
from tf_empowerment.train import runner


@gin.configurable(denylist=["root_dir", "connection"])
class EvalJob:
  """Evaluates the run under `root_dir` from the variables the server `connection` reaches
  holds, checking for a new push every `poll_interval` seconds.

  An evaluation is written at the pushed step it ran on, which may be past the interval's
  multiple (the learner does not wait for it); a restarted job evaluates from the next one.
  """

  def __init__(self, root_dir, connection, poll_interval=2.0):
    self._settings = settings = settings_lib.RunSettings.from_gin()
    self._poll_interval = poll_interval
    tf.random.set_seed(settings.seed)
    py_env = evaluation.load_eval_environment(settings.env_id, settings.seed)
    parts = settings_lib.agent_parts(settings, py_env, 1,
                                     tf.Variable(0, dtype=tf.int64, name="agent_step"))
    self._channel = variables_lib.VariableChannel(connection, variables_lib.pushed_variables(
        parts.agent, parts.observations, parts.intrinsic_reward))
    self._evaluator = evaluation.Evaluator(
        py_env, parts.observations.environment(runner.tf_environment(py_env)),
        parts.agent.policy, settings.eval_episodes, root_dir)

  def _pulled_step(self):
    return self._settings.agent_step(self._channel.pull())

  def run(self, stop_requested=lambda: False):
    """Evaluates until the pushed step reaches the run's end (evaluated there too) or
    `stop_requested()`."""
    evaluated = self._pulled_step()
    end, interval = self._settings.num_agent_steps, self._settings.eval_interval
    logging.info("eval job from agent step %d", evaluated)
    while not stop_requested():
      step = self._pulled_step()
      if step != evaluated and (step >= end or runner.crossed(evaluated, step, interval)):
        self._evaluator.evaluate(step)
        evaluated = step
      if step >= end:
        logging.info("eval job finished at agent step %d", step)
        return
      time.sleep(self._poll_interval)
