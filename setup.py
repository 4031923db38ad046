"""Installs tf_empowerment: empowerment-driven exploration on TF-Agents DQN."""
import setuptools

setuptools.setup(
    name="tf_empowerment",
    version="0.1.0",
    description="Empowerment-driven exploration (MINE-style and variational) for TF-Agents DQN.",
    packages=setuptools.find_packages(include=["tf_empowerment", "tf_empowerment.*"]),
    package_data={"tf_empowerment.envs": ["layouts/*.txt"]},
    python_requires=">=3.11,<3.12",
    install_requires=[
        # TensorFlow 2.15 is the last release whose tf.keras is Keras 2; the rest of the
        # stack is pinned to versions built against it. numpy must stay < 2 for TF 2.15.
        "numpy>=1.26,<2",
        "tensorflow==2.15.1",
        "tensorboard==2.15.2",
        "tensorflow-probability==0.23.0",
        "tf-agents[reverb]==0.19.0",
        "dm-reverb==0.14.0",
        "gymnasium==1.2.2",
        "ale-py==0.11.2",
        # MiniGrid 3 depends on pygame-ce, while tf-agents pins pygame==2.1.3: both install the
        # same pygame/ directory (see README, "Set up and test"). Only rendering uses it.
        "minigrid==3.2.0",
        "gin-config==0.5.0",
        "absl-py==2.1.0",
        "matplotlib==3.9.4",
        "portpicker==1.6.0",  # free ports for scripts/launch_local.py's jobs
    ],
    extras_require={
        "test": ["pytest==8.3.4", "pytest-xdist==3.6.1"],
        "profile": ["tensorboard-plugin-profile==2.15.1"],
    },
)
