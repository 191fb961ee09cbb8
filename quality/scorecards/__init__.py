"""QA scorecards: each client's rubric, the week's sample of chats, supervisors' reviews, the agent's answer."""
