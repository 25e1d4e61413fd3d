"""Actor-critic whose actor ends in a softmax; log-probabilities and entropy are
then taken as the log of those probabilities."""

import numpy as np
import torch
import torch.nn as nn


class Actor(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(obs_dim, 128),
            nn.ReLU(),
            nn.Linear(128, n_actions),
            nn.Softmax(dim=-1),
        )

    def forward(self, obs):
        return self.net(obs)


class Critic(nn.Module):
    def __init__(self, obs_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 128), nn.ReLU(), nn.Linear(128, 1))

    def forward(self, obs):
        return self.net(obs)


def select_action(actor, obs):
    probs = actor(torch.from_numpy(obs).float())
    action = np.random.choice(len(probs), p=probs.detach().numpy())
    return action, probs


def a2c_loss(actor, critic, obs, actions, returns, beta=0.01):
    probs = actor(obs)
    log_probs = torch.log(probs)  # expect: LL005
    chosen = log_probs.gather(1, actions.unsqueeze(1)).squeeze(1)
    values = critic(obs).squeeze(1)
    advantage = returns - values
    actor_loss = -(chosen * advantage.detach()).mean()
    critic_loss = advantage.pow(2).mean()
    entropy = -(probs * (probs + 1e-10).log()).sum(dim=1).mean()  # expect: LL005
    return actor_loss + 0.5 * critic_loss - beta * entropy


if __name__ == "__main__":
    actor, critic = Actor(8, 4), Critic(8)
    opt = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=7e-4)
    obs = torch.randn(32, 8)
    loss = a2c_loss(actor, critic, obs, torch.randint(0, 4, (32,)), torch.randn(32))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(select_action(actor, np.zeros(8, dtype=np.float32))[0])
