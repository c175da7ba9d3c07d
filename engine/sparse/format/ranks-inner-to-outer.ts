/**
 * Loop → rank assignment with `rank-application-order: inner-to-outer`: the innermost free rank
 * takes the innermost non-unit loop, then the loops just outside it that its flattening group
 * lists; the next rank out continues from there. Differences from outer-to-inner that the
 * reference keeps (and so do we): a rank records the tile of its *innermost* loop, not one
 * fiber's tile; a rank whose flattening rule does not list the next loop is a one-word
 * placeholder; ranks left over at the top span the innermost loop's tile.
 */
import { absorbs, moreRanksNeeded, trivial, type RankAssignment, type RankAssignmentInput, type RankLoop } from './ranks.ts';

export function assignLoopsInnerToOuter(input: RankAssignmentInput): RankAssignment {
  const { loops, rankCount, innerRankId, flattening, hasMetadata } = input;
  const rankLoops: RankLoop[][] = Array.from({ length: rankCount }, () => []);
  const rankTileSize: number[] = new Array(rankCount).fill(loops.length > 0 ? loops[0].tileSize : 1);

  let loopId = 0;
  let rankId = innerRankId - 1;
  while (rankId < rankCount - 1 && loopId < loops.length) {
    while (loopId < loops.length && trivial(loops[loopId])) loopId++;
    if (loopId >= loops.length) break;
    rankId++;
    const head = loops[loopId];
    const rules = hasMetadata ? flattening[rankId] : null;
    let group: string[] | null = null;
    if (rules) {
      group = rules.find((g) => g.includes(head.dimension)) ?? null;
      if (!group) {
        rankTileSize[rankId] = 1;
        continue;
      }
    }
    const taken: RankLoop[] = [head];
    rankTileSize[rankId] = head.tileSize;
    loopId++;
    if (!hasMetadata || group !== null) {
      while (loopId < loops.length && absorbs(loops[loopId], hasMetadata, group)) {
        if (!trivial(loops[loopId])) taken.push(loops[loopId]);
        loopId++;
      }
    }
    rankLoops[rankId] = taken;
  }
  for (; loopId < loops.length; loopId++) if (!trivial(loops[loopId])) moreRanksNeeded(input, loops[loopId]);
  return { rankLoops, rankTileSize };
}
