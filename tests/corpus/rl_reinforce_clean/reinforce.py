"""REINFORCE with a baseline: log-probabilities from log_softmax, sampling from
Categorical(logits=...), entropy bonus from probs * log_probs."""

import gymnasium as gym
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(obs_dim, 64), nn.Tanh())
        self.pi = nn.Linear(64, n_actions)
        self.v = nn.Linear(64, 1)

    def forward(self, obs):
        h = self.body(obs)
        return self.pi(h), self.v(h).squeeze(-1)


def run_episode(env, policy):
    obs, _ = env.reset()
    log_probs, values, rewards, entropies = [], [], [], []
    done = False
    while not done:
        logits, value = policy(torch.as_tensor(obs, dtype=torch.float32))
        dist = Categorical(logits=logits)
        action = dist.sample()
        log_p = F.log_softmax(logits, dim=-1)
        probs = log_p.exp()
        entropies.append(-(probs * log_p).sum())
        log_probs.append(log_p[action])
        values.append(value)
        obs, reward, terminated, truncated, _ = env.step(action.item())
        rewards.append(reward)
        done = terminated or truncated
    return log_probs, values, rewards, entropies


def update(policy, optimizer, episode, gamma=0.99, beta=0.01):
    log_probs, values, rewards, entropies = episode
    returns, g = [], 0.0
    for r in reversed(rewards):
        g = r + gamma * g
        returns.insert(0, g)
    returns = torch.tensor(returns)
    values = torch.stack(values)
    advantage = returns - values.detach()
    policy_loss = -(torch.stack(log_probs) * advantage).mean()
    value_loss = F.smooth_l1_loss(values, returns)
    loss = policy_loss + 0.5 * value_loss - beta * torch.stack(entropies).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return returns[0].item()


if __name__ == "__main__":
    env = gym.make("CartPole-v1")
    policy = Policy(4, 2)
    opt = torch.optim.Adam(policy.parameters(), lr=3e-3)
    for episode in range(10):
        print(episode, update(policy, opt, run_episode(env, policy)))
