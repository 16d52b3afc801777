"""The demo city itself: Jinjiang's towns, communities, compounds, people and organisations.

    plan = plan_demo(seed=2026)                 # every object, unsaved; no database access
    counts = write_plan(plan, password="...")   # bulk-created, inside the caller's transaction

`data` holds the fixed names (towns, communities, the compounds and people the reports name,
name parts); `planner` plans every object in memory, one part of the plan per module (`places`,
`housing`, `organisations`, `party`, `committees` on the shared steps of `base`); `write` writes
the plan. See jiayuan/demo/__init__.py for what is built and why.
"""

from .planner import Plan, plan_demo
from .write import write_plan

__all__ = ["Plan", "plan_demo", "write_plan"]
