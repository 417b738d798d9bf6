# Generates python-random-vectors.json with CPython (run: python3 python_random_vectors.py > python-random-vectors.json).
import random, json
out = {}
r = random.Random(1234)
out["getrandbits32_seed1234"] = [r.getrandbits(32) for _ in range(8)]
r = random.Random(1234)
out["random_seed1234"] = [repr(r.random()) for _ in range(4)]
cases = []
for (n, k, draws) in [(250, 2, 5), (250, 6, 3), (400, 4, 4), (2490, 9, 3), (5428, 33, 2), (10, 10, 2), (30, 6, 4), (100, 11, 3), (56, 50, 1)]:
    r = random.Random(1234)
    pop = list(range(n))
    cases.append({"n": n, "k": k, "draws": [r.sample(pop, k) for _ in range(draws)]})
out["sample_cases"] = cases
r = random.Random(0); out["getrandbits_seed0"] = [r.getrandbits(32) for _ in range(3)]
r = random.Random(2**40 + 5); out["getrandbits_seed_2pow40p5"] = [r.getrandbits(32) for _ in range(3)]
r = random.Random(1234); out["randbelow_seed1234_n7"] = [r._randbelow(7) for _ in range(10)]
print(json.dumps(out))
