"""A run scaled out on Reverb: one replay server, N actor processes and one learner.

Design note.

Jobs (scripts/distributed.py --job=..., all from the gin files scripts/train.py takes;
scripts/launch_local.py starts them on this machine):
- replay (replay_job, replay_server): a Reverb server with the replay table (uniform sampler,
  FIFO remover, `create_replay_buffer.capacity` windows by default) and the single-item table
  of the learner's variables. A SampleToInsertRatio rate limiter holds the in-process ratio,
  batch_size sampled windows per agent_steps_per_update inserted steps, across all actors,
  starting once `ReplayLearner.learning_starts` windows are in (`replay_tables.tolerance`
  agent steps of slack either way). Reverb's DefaultCheckpointer writes the tables under
  root_dir/replay_checkpoints whenever the learner saves, and a restarted server loads the
  last complete one.
- actor (actor_job): the environments, observation pipeline, intrinsic reward and collect
  policy built exactly as the Runner builds them (train.runner.build_agent and
  recording_collect_policy), run by the trainer's own Actor (one compiled TF driver). Its
  replay observer (replay_writer) hands every batched step to one Reverb trajectory writer per
  environment index, which inserts the window of that environment's last `sequence_length`
  steps (replay_items). Windows run on across episode ends, as in the in-process uniform
  buffer, and the learner weights out those that are no transition.
- learner (learner_job): the agent, intrinsic reward and pipeline built the same way, trained
  by the trainer's own ReplayLearner (sample, relabel through the IntrinsicReward seam,
  weighted update), whose `replay` is the Reverb table (replay_sampler). It owns the
  checkpoints (train.checkpoints.RunCheckpointer under root_dir/checkpoints: agent,
  optimizers, pipeline, intrinsic reward), the exported greedy policy and the run's clock.
  Rerunning it resumes from its latest checkpoint, sampling the server's replay at once.
- eval (eval_job): the learner's pushed policy evaluated by the trainer's own Evaluator, into
  root_dir/eval, each time the pushed step passes a multiple of Runner.eval_interval.

What flows: actors -> replay table (windows, with the collect policy's info: recorded
states, the intrinsic reward's `info`) and, with an intrinsic reward, the observe queue;
replay table -> learner (batches); learner -> variable table every `LearnerJob.push_interval`
updates (policy, pipeline and intrinsic-reward network variables, train step:
variables.pushed_variables) -> actors, pulled every `ActorJob.pull_interval` agent steps and
whenever the rate limiter holds their inserts back.

Frames stored once (replay_items.FrameWindows): when the run's in-process replay is
FrameStackReplayBuffer (`create_replay_buffer.buffer_fn`, RunSettings.frame_stack_size), a
writer appends only the newest frame [84, 84] of each observation stack, and an item
references the last sequence_length + stack_size - 1 steps of every column (overlapping
items share the chunks), inserted once its environment has that many steps. The sampler
rebuilds the stacks [batch, sequence_length, 84, 84, stack_size] in a tf.data map before the
prefetch (replay.frame_stack.stack_windows, FrameStackReplayBuffer's rule: zeros before an
episode's FIRST step), so the learner sees the usual Trajectory spec. The actor checks every
stack it writes against that rule (frame_stack.stacks_follow, numpy, ~25 us a step for 4
environments) and stops with one error if one breaks it. Stored per transition on
montezuma_dqn_pixels: 7,470 B, from 28,525 B with whole stacks (scripts/benchmark_distributed.py
--reverb_items: random frames, which Reverb's compression cannot shrink).

The clock: sequence length = max(agent's train_sequence_length, intrinsic reward's
window_length) (train.learner.window_length). The learner's train step stands for agent
step learning_starts + train_step * agent_steps_per_update (settings.RunSettings.agent_step):
the rate limiter keeps inserts within `tolerance` of it. Epsilon on every actor follows that
step (the collect policy is built in code on each actor with its own agent-step variable, set
at each pull), 0 before the first update so replay fills at epsilon's start value; the run
ends when it reaches `Runner.num_agent_steps`, the learner saves and pushes a last time, and
the actors stop when they pull that step.

Intrinsic reward statistics (`observe`) live on the learner, where `relabel` reads them
and its checkpoint keeps them, fed from every collected step exactly once, in collection order
(observed_steps): each actor also queues its batched steps [num_envs] in a FIFO table that
the learner drains before each call of updates. Order-free statistics (counts, running means
and variances, hash counts) are then exactly those of observing the same steps in process, at
any number of actors; the discounted-return normaliser's per-environment lanes interleave the
actors' environment i (exact with one actor). An actor observes its own steps too, as in process,
only when the reward computes something at collection (`info_spec`), for what `info` reads
there (episodic counts, bonuses computed at collection: from this actor's steps); it pulls
the reward's trained networks with the policy.

Faults: every call to the server has a deadline (connection.Connection): a job retries with a
log line and stops with one error line after `Connection.give_up_after` seconds. A killed
actor loses its unconfirmed inserts; restarted, it reconnects and collects on with fresh
random streams. A killed learner restarts from its checkpoint. A killed replay server,
restarted, loads its last complete table checkpoint, and actors and learner reconnect.
SIGTERM (or Ctrl-C) makes the learner save its checkpoint and the server's tables, then exit
with status 143 (130): launch_local.py stops the learner that way first, then the others.

Security: Reverb 0.14 serves unauthenticated gRPC and listens on every interface ([::]:port);
it cannot listen on loopback alone. So the replay job serves only where loopback is the
process's one interface (isolation.loopback_only), unless --allow_remote says the server is
meant for other machines (a warning line then says it is open to anyone who reaches the port:
trusted networks only). launch_local.py runs all its jobs in a private network namespace
(isolation.isolate: unprivileged user and network namespaces, loopback up), so a local run is
unreachable from outside; where the kernel refuses them it stops with one line, and
--allow_remote runs the jobs on the machine's network instead.
"""
