"""DQN agents: TF-Agents' DQN / double DQN and the two-head (extrinsic, intrinsic) variant."""
