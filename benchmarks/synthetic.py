"""Tables the synthetic content generators share (content_bench, search_bench).

Stockport's localities, their places and postcode districts, and the venue
kinds, streets and age bands that synthetic pages are made from.
"""

# The real settings files copied into every synthetic content folder.
SITE_FILES = ("site.yml", "localities.yml", "synonyms.yml")

PLACES = {
    "north": ["Reddish", "Brinnington", "Heaton Moor", "Heaton Chapel",
              "Heaton Mersey", "Heaton Norris"],
    "central": ["Edgeley", "Adswood", "Shaw Heath", "Cale Green",
                "Stockport town centre", "Davenport"],
    "east": ["Marple", "Bredbury", "Romiley", "Offerton", "Compstall", "Woodley"],
    "south": ["Bramhall", "Hazel Grove", "Cheadle", "Gatley", "Cheadle Hulme",
              "Heald Green"],
}
DISTRICTS = {"north": ["SK4", "SK5"], "central": ["SK1", "SK2", "SK3"],
             "east": ["SK6"], "south": ["SK7", "SK8"]}
VENUE_KINDS = ["Library", "Community Centre", "Methodist Church Hall",
               "Scout Hut", "Primary School", "Leisure Centre", "Health Centre",
               "Community Rooms", "Baptist Church", "Children's Centre"]
STREETS = ["Mill Lane", "Church Road", "Station Road", "Hollins Avenue",
           "Greenfold Way", "Marsland Street", "Vale Close", "Park Road",
           "Brook Street", "Lowndes Lane", "Windlehurst Road", "Bridge Street"]
AGES = ["pregnancy", "0-1", "1-2", "2-3", "3-5"]

POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def venue(rng, locality, place):
    """A made-up venue in ``place`` (of ``locality``): name, address, postcode."""
    district = rng.choice(DISTRICTS[locality])
    name = f"{place} {rng.choice(VENUE_KINDS)}"
    return {
        "name": name,
        "address": [name, f"{rng.randint(1, 250)} {rng.choice(STREETS)}", f"{place}, Stockport"],
        "postcode": f"{district} {rng.randint(1, 9)}"
                    f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}",
    }
