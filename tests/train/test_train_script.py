"""End-to-end tests of scripts/train.py: real trainer, real environments, real checkpoints."""
import glob
import os
import re
import signal
import subprocess
import sys
import time

from absl.testing import absltest
from absl.testing import parameterized
import numpy as np
import tensorflow as tf

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN = os.path.join(REPO, "scripts", "train.py")
GRIDWORLD_GIN = os.path.join(REPO, "gin", "gridworld_dqn.gin")
MONTEZUMA_GIN = os.path.join(REPO, "gin", "montezuma_dqn_pixels.gin")
GRIDWORLD_MINE_GIN = os.path.join(REPO, "gin", "gridworld_mine.gin")
MONTEZUMA_MINE_GIN = os.path.join(REPO, "gin", "montezuma_mine.gin")
MONTEZUMA_MINE_PIXELS_GIN = os.path.join(REPO, "gin", "montezuma_mine_pixels.gin")
EMPOWERMENT_TAGS = {
    "train/loss", "forward_model/loss", "critic/loss", "critic/jsd", "empowerment/mean",
    "empowerment/std", "empowerment/max", "intrinsic_reward/raw_mean",
    "intrinsic_reward/scaled_mean", "empowerment/out_of_range", "episode/return"}

SHORT_GRIDWORLD = [
    "Runner.num_agent_steps = 300",
    "ReplayLearner.learning_starts = 100",
    "Runner.eval_interval = 200",
    "Runner.eval_episodes = 1",
    "Runner.checkpoint_interval = 100",
    "Runner.log_interval = 100",
]
SHORT_MONTEZUMA = [
    "Runner.num_envs = 2",
    "Runner.num_agent_steps = 200",
    "ReplayLearner.learning_starts = 64",
    "create_replay_buffer.capacity = 1000",
    "Runner.eval_interval = 200",
    "Runner.eval_episodes = 1",
    "Runner.checkpoint_interval = 100",
    "Runner.log_interval = 100",
    "AtariEnvironment.max_episode_frames = 400",
    "eval/AtariEnvironment.max_episode_frames = 400",
]


def _command(root_dir, gin_file, bindings):
  command = [sys.executable, TRAIN, f"--root_dir={root_dir}"]
  if gin_file:
    command.append(f"--gin_file={gin_file}")
  return command + [f"--gin_bindings={binding}" for binding in bindings]


def _run(root_dir, gin_file, bindings, timeout=300):
  return subprocess.run(_command(root_dir, gin_file, bindings), capture_output=True, text=True,
                        timeout=timeout, cwd=REPO)


def _summary_values(events_dir):
  """Tag -> list of summary values (tf.Summary.Value) in the event files in `events_dir`."""
  values = {}
  for path in glob.glob(os.path.join(events_dir, "events.out.tfevents.*")):
    for event in tf.compat.v1.train.summary_iterator(path):
      for value in event.summary.value:
        values.setdefault(value.tag, []).append(value)
  return values


def _summaries(events_dir):
  """Scalar tag -> list of its values."""
  return {tag: [float(tf.make_ndarray(value.tensor)) for value in values]
          for tag, values in _summary_values(events_dir).items()
          if values[0].metadata.plugin_data.plugin_name == "scalars"}


def _summary_tags(events_dir):
  return set(_summary_values(events_dir))


class TrainScriptTest(parameterized.TestCase):

  def _train(self, gin_file, bindings):
    root_dir = self.create_tempdir().full_path
    result = _run(root_dir, gin_file, bindings)
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    return root_dir, result.stderr

  def test_gridworld_trains_and_writes_everything(self):
    root_dir, log = self._train(GRIDWORLD_GIN, SHORT_GRIDWORLD)
    self.assertRegex(log, r"step \d+/300 \| \d+ steps/s \| \d+ frames/s \| ETA")
    self.assertTrue(os.path.isfile(os.path.join(root_dir, "operative_config.gin")))
    self.assertContainsSubset(
        {"train/loss", "train/epsilon", "metrics/AverageReturn", "episode/return",
         "speed/agent_steps_per_second", "speed/frames_per_second"},
        _summary_tags(os.path.join(root_dir, "train")))
    self.assertContainsSubset({"AverageReturn", "episode/reached_goal"},
                              _summary_tags(os.path.join(root_dir, "eval")))
    self.assertTrue(os.path.isfile(os.path.join(root_dir, "checkpoints", "checkpoint")))
    self.assertTrue(os.path.isfile(os.path.join(root_dir, "policy", "saved_model.pb")))

  def test_montezuma_trains_and_reports_rooms(self):
    root_dir, log = self._train(MONTEZUMA_GIN, SHORT_MONTEZUMA)
    self.assertRegex(log, r"step 200/200 \| \d+ steps/s \| \d+ frames/s .* rooms_visited 1")
    self.assertIn("episode/rooms_visited", _summary_tags(os.path.join(root_dir, "train")))
    self.assertIn("episode/rooms_visited", _summary_tags(os.path.join(root_dir, "eval")))
    self.assertTrue(os.path.isfile(os.path.join(root_dir, "checkpoints", "checkpoint")))

  @parameterized.named_parameters(
      ("gridworld", GRIDWORLD_MINE_GIN, SHORT_GRIDWORLD, set()),
      ("montezuma", MONTEZUMA_MINE_GIN,
       SHORT_MONTEZUMA + ["ObservationPipeline.warmup_steps = 200",
                          "Runner.map_record_interval = 1"], {"episode/rooms_visited"}),
      # Pixels in replay, embeddings recorded at collection in the policy info.
      ("montezuma_pixels", MONTEZUMA_MINE_PIXELS_GIN,
       SHORT_MONTEZUMA + ["ObservationPipeline.warmup_steps = 200",
                          "Runner.map_record_interval = 1"], {"episode/rooms_visited"}),
      ("gridworld_two_heads", GRIDWORLD_MINE_GIN,
       SHORT_GRIDWORLD + ["EmpowermentReward.num_channels = 2",
                          "create_dqn_agent.gamma = 0.999",
                          "create_dqn_agent.intrinsic_gamma = 0.99"],
       {"train/extrinsic_td_loss", "train/intrinsic_td_loss"}),
  )
  def test_empowerment_run_writes_finite_summaries(self, gin_file, bindings, extra_tags):
    root_dir, _ = self._train(gin_file, bindings)
    summaries = _summaries(os.path.join(root_dir, "train"))
    self.assertContainsSubset(EMPOWERMENT_TAGS | extra_tags, set(summaries))
    for tag in EMPOWERMENT_TAGS | extra_tags:
      self.assertTrue(np.all(np.isfinite(summaries[tag])), tag)
    self.assertIn("empowerment/map", _summary_tags(os.path.join(root_dir, "eval")))
    self.assertNotEmpty(glob.glob(os.path.join(root_dir, "maps", "empowerment_*.png")))

  def test_resumes_after_kill(self):
    root_dir = self.create_tempdir().full_path
    long_run = SHORT_GRIDWORLD + ["Runner.num_agent_steps = 100000"]
    killed_log = os.path.join(root_dir, "killed_run.log")
    with open(killed_log, "w") as log_file:
      process = subprocess.Popen(_command(root_dir, GRIDWORLD_GIN, long_run), cwd=REPO,
                                 stdout=log_file, stderr=log_file)
    saved_pattern = r"Saved (\S+) at agent step (\d+) with (\d+) transitions"
    def saved():
      with open(killed_log) as log_file:
        return re.findall(saved_pattern, log_file.read())
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not any(int(step) >= 300 for _, step, _ in saved()):
      time.sleep(0.1)
    process.send_signal(signal.SIGKILL)  # Often mid-way through the next checkpoint's write.
    process.wait()
    logged = {path: (step, transitions) for path, step, transitions in saved()}
    self.assertNotEmpty(logged, "no checkpoint was written before the kill")

    result = _run(root_dir, GRIDWORLD_GIN, SHORT_GRIDWORLD + ["Runner.num_agent_steps = 500"])
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    resumed = re.search(r"Resuming from (\S+) at agent step (\d+) with (\d+) transitions",
                        result.stderr)
    self.assertIsNotNone(resumed, msg=result.stderr[-3000:])
    path, step, transitions = resumed.groups()
    self.assertGreaterEqual(int(step), max(int(s) for s, _ in logged.values()))
    if path in logged:  # A checkpoint completed just before the kill may not be logged yet.
      self.assertEqual(logged[path], (step, transitions))
    self.assertRegex(result.stderr, r"step 500/500")

  def test_profile_steps_write_a_profiler_trace(self):
    root_dir = self.create_tempdir().full_path
    result = subprocess.run(_command(root_dir, GRIDWORLD_GIN, SHORT_GRIDWORLD)
                            + ["--profile_steps=150,250"], capture_output=True, text=True,
                            timeout=300, cwd=REPO)
    self.assertEqual(result.returncode, 0, msg=result.stderr[-3000:])
    traces = glob.glob(os.path.join(root_dir, "profile", "plugins", "profile", "*", "*.xplane.pb"))
    self.assertLen(traces, 1)
    self.assertGreater(os.path.getsize(traces[0]), 1000)

  def test_malformed_profile_steps_fail_in_one_line(self):
    result = subprocess.run(_command(self.create_tempdir().full_path, GRIDWORLD_GIN, [])
                            + ["--profile_steps=10"], capture_output=True, text=True,
                            timeout=120, cwd=REPO)
    self.assertNotEqual(result.returncode, 0)
    self.assertIn("--profile_steps must be START,END", result.stderr.strip().splitlines()[-1])

  @parameterized.named_parameters(
      ("unknown_env", GRIDWORLD_GIN, ["Runner.env_id = 'ALE/NoSuchGame-v5'"], "NoSuchGame"),
      ("missing_gin_file", "gin/no_such_file.gin", [], "no_such_file.gin"),
      ("unknown_binding", GRIDWORLD_GIN, ["Runner.no_such_parameter = 1"],
       "no_such_parameter"),
      ("negative_learning_rate", GRIDWORLD_GIN, ["create_dqn_agent.learning_rate = -0.1"],
       "learning_rate"),
      ("epsilon_above_one", GRIDWORLD_GIN, ["LinearEpsilon.end = 1.5"], "LinearEpsilon.end"),
      ("wrongly_typed_runner_value", GRIDWORLD_GIN, ["Runner.num_envs = 'two'"],
       "Runner.num_envs must be a positive integer, got 'two'"),
      ("wrongly_typed_agent_value", GRIDWORLD_GIN, ["create_dqn_agent.learning_rate = 'fast'"],
       "create_dqn_agent.learning_rate = 'fast' has the wrong type"),
  )
  def test_bad_input_fails_in_one_line(self, gin_file, bindings, expected):
    root_dir = self.create_tempdir().full_path
    result = _run(root_dir, gin_file, bindings, timeout=120)
    self.assertNotEqual(result.returncode, 0)
    last_line = result.stderr.strip().splitlines()[-1]
    self.assertTrue(last_line.startswith("error: "), msg=result.stderr[-2000:])
    self.assertIn(expected, last_line)
    self.assertFalse(os.path.exists(os.path.join(root_dir, "checkpoints")))

  @parameterized.named_parameters(
      ("no_start", "#####\n#...#\n#####\n", "'S'"),
      ("ragged_rows", "#####\n#S..#\n###\n", "ragged"),
      ("unknown_character", "#####\n#Sx.#\n#####\n", "'x'"),
  )
  def test_malformed_layout_fails_in_one_line(self, layout, expected):
    layout_file = self.create_tempfile("layout.txt", content=layout)
    root_dir = self.create_tempdir().full_path
    result = _run(root_dir, GRIDWORLD_GIN,
                  [f"Runner.env_id = 'gridworld:{layout_file.full_path}'"], timeout=120)
    self.assertNotEqual(result.returncode, 0)
    last_line = result.stderr.strip().splitlines()[-1]
    self.assertTrue(last_line.startswith("error: "), msg=result.stderr[-2000:])
    self.assertIn(expected, last_line)


if __name__ == "__main__":
  absltest.main()
