"""Traffic fines and licence points by decree, as the data generators draw them.

Shared by ``sample_data/generator/generate.py`` (the sample department) and
``benchmarks/generate_national.py`` (the national benchmark data): both put ``sample_data/`` on
``sys.path`` and import ``fines``. A package (a subfolder), not a ``fines.py`` beside the tables:
a run on ``sample_data/`` does not look into subfolders, so it lists no ignored file.

Amounts are in million VND; the 2024 regime has no licence points but suspends licences for some
violations.
"""

# (category, variant) -> vehicle -> (fine from, to in million VND, points, revoked months range)
FINES_2025 = {  # Decree 168/2024/NĐ-CP
    ("speeding", "lt10"): {"motorbike": (0.4, 0.6, 0, None), "car": (0.8, 1, 0, None)},
    ("speeding", "10_20"): {"motorbike": (0.8, 1, 0, None), "car": (4, 6, 2, None)},
    ("speeding", "20_35"): {"motorbike": (6, 8, 4, None), "car": (6, 8, 4, None)},
    ("speeding", "gt35"): {"car": (12, 14, 6, None)},
    ("alcohol", 1): {"motorbike": (2, 3, 4, None), "car": (6, 8, 4, None)},
    ("alcohol", 2): {"motorbike": (6, 8, 10, None), "car": (18, 20, 10, None)},
    ("alcohol", 3): {"motorbike": (8, 10, 0, (22, 24)), "car": (30, 40, 0, (22, 24))},
    ("red_light", None): {"motorbike": (4, 6, 4, None), "car": (18, 20, 4, None)},
    ("phone", None): {"motorbike": (0.8, 1, 4, None), "car": (4, 6, 4, None)},
    ("helmet_seatbelt", None): {"motorbike": (0.4, 0.6, 0, None), "car": (0.8, 1, 0, None)},
    ("wrong_way", None): {"motorbike": (4, 6, 4, None), "car": (18, 20, 4, None)},
    ("other", None): {"motorbike": (0.4, 0.6, 0, None), "car": (0.4, 0.6, 0, None)},
}
FINES_2024 = {  # Decree 100/2019/NĐ-CP as amended by 123/2021/NĐ-CP: no points, suspensions
    ("speeding", "10_20"): {"motorbike": (0.8, 1, None, None), "car": (3, 5, None, None)},
    ("alcohol", 1): {"motorbike": (2, 3, None, (10, 12)), "car": (6, 8, None, (10, 12))},
    ("red_light", None): {"motorbike": (0.6, 1, None, (1, 3)), "car": (4, 6, None, (1, 3))},
    ("phone", None): {"motorbike": (0.6, 1, None, (1, 3)), "car": (2, 3, None, (1, 3))},
    ("helmet_seatbelt", None): {"motorbike": (0.2, 0.3, None, None), "car": (0.8, 1, None, None)},
}
