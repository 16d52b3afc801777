"""One importer per roster, by kind."""

from .people import OwnersImporter, PartyMembersImporter
from .places import CompoundsImporter, RoomsImporter
from .posts import BuildingHeadsImporter, CommitteeMembersImporter

IMPORTERS = {
    importer.kind: importer
    for importer in (
        CompoundsImporter,
        RoomsImporter,
        OwnersImporter,
        PartyMembersImporter,
        BuildingHeadsImporter,
        CommitteeMembersImporter,
    )
}
