"""The district's basic plan (성북구 사회적경제 기본계획 2017-2020) as data, and the centre's views of it.

The plan is transcribed in ``data/plan-2017-2020.yaml`` and loaded into tables by ``flask plan load``;
the centre records yearly results and evaluation scores against it, and project 3-1 (this platform)
shows its own indicators live.
"""
